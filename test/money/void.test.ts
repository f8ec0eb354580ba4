import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { createPartnerUser, findPartnerByCode, Partner } from '../../src/partners/service';
import { redeem } from '../../src/redemptions/redeem';
import { regionReport } from '../../src/reports/regions';
import { businessDate } from '../../src/time';
import { issueVoucher } from '../../src/vouchers/service';
import { buildOffer } from '../support/offers';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
let pharmacy: Partner;

beforeAll(async () => {
  runtime = await createTestRuntime();
  pharmacy = (await findPartnerByCode(runtime.ctx.db, 'PH-GLM-01'))!;
});

afterAll(() => runtime.close());

function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1];
}

/** A signed-in portal session of a demo login. */
async function signIn(email: string, password: string) {
  const agent = request.agent(runtime.app);
  const page = await agent.get('/login');
  const response = await agent
    .post('/login')
    .type('form')
    .send({ email, password, _csrf: csrfOf(page.text) });
  expect(response.status).toBe(302);

  return agent;
}

const manager = () => signIn('gerant@pharmacie-alamal.ma', 'gerant-demo-2026');
const staff = () => signIn('comptoir@pharmacie-alamal.ma', 'comptoir-demo-2026');

async function postVoid(agent: request.Agent, reference: string, reason: string) {
  const form = await agent.get(`/portal/redemptions/${reference}/void`);
  const csrf = csrfOf(form.text);

  return agent
    .post(`/portal/redemptions/${reference}/void`)
    .type('form')
    .send({ reason, _csrf: csrf });
}

/** Redeems a card offer for member 100001 at `now`, through the redemption service. */
async function redeemCard(offerId: number, now: Date, key: string) {
  const card = await issueCard(runtime.ctx, { memberNumber: '100001', now });
  const outcome = await redeem(runtime.ctx, {
    qr: card.url,
    offerId,
    grossCents: 40_000,
    idempotencyKey: key,
    partner: pharmacy,
    channel: 'portal',
    now,
  });
  if (outcome.status !== 'redeemed') {
    throw new Error(`redemption refused: ${outcome.verdict.reason}`);
  }

  return outcome.redemption;
}

describe('a partner manager voids a recent redemption', () => {
  it('voids within 15 minutes: a linked row, the use given back, the report netted', async () => {
    const offer = await buildOffer(runtime.ctx.db, {
      limit_count: 1,
      limit_period: 'month',
      quota: 10,
    });
    const redemption = await redeemCard(
      offer.id,
      new Date(Date.now() - 14 * 60_000),
      'void-inside-01',
    );
    const usageBefore = await runtime.ctx.db('holder_usage').where({ offer_id: offer.id }).first();
    expect(usageBefore.used).toBe(1);

    const agent = await manager();
    const form = await agent.get(`/portal/redemptions/${redemption.reference}/void`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Motif de l&#x27;annulation');
    const response = await postVoid(agent, redemption.reference, 'Erreur de montant');
    expect(response.status).toBe(200);
    expect(response.text).toContain('Passage annulé');

    const rows = await runtime.ctx.db('redemptions').where({ offer_id: offer.id }).orderBy('id');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      kind: 'void',
      voids_redemption_id: redemption.id,
      void_reason: 'Erreur de montant',
      partner_id: pharmacy.id,
      holder_key: redemption.holder_key,
      gross_cents: 40_000,
      discount_cents: 4_000,
      business_date: redemption.business_date,
      region_code: '10',
    });
    expect(rows[0]).toMatchObject({ kind: 'redeem', gross_cents: 40_000 });
    const usageAfter = await runtime.ctx.db('holder_usage').where({ offer_id: offer.id }).first();
    expect(usageAfter.used).toBe(0);
    expect((await runtime.ctx.db('offers').where({ id: offer.id }).first()).redeemed_count).toBe(0);

    const report = await regionReport(runtime.ctx.db, {
      from: redemption.business_date,
      to: redemption.business_date,
    });
    const guelmim = report.find((row) => row.code === '10')!;
    expect(guelmim).toMatchObject({ redemptions: 0, grossCents: 0, discountCents: 0 });

    // The use given back can be used again this month.
    await redeemCard(offer.id, new Date(), 'void-inside-02');

    const again = await agent
      .post(`/portal/redemptions/${redemption.reference}/void`)
      .type('form')
      .send({ reason: 'Deuxième clic', _csrf: csrfOf(form.text) });
    expect(again.status).toBe(409);
    expect(again.text).toContain('Ce passage est déjà annulé.');
    expect(
      await runtime.ctx.db('redemptions').where({ voids_redemption_id: redemption.id }),
    ).toHaveLength(1);
  });

  it('gives a voucher its use back', async () => {
    const offer = await buildOffer(runtime.ctx.db, { voucher_required: true, voucher_uses: 1 });
    const now = new Date(Date.now() - 60_000);
    const issued = await issueVoucher(runtime.ctx, {
      memberNumber: '100001',
      offerId: offer.id,
      now,
    });
    const outcome = await redeem(runtime.ctx, {
      qr: issued.voucher.code,
      offerId: offer.id,
      grossCents: 10_000,
      idempotencyKey: 'void-voucher-01',
      partner: pharmacy,
      channel: 'portal',
      now,
    });
    expect(outcome.status).toBe('redeemed');
    expect((await runtime.ctx.db('vouchers').where({ id: issued.voucher.id }).first()).uses).toBe(
      1,
    );

    const response = await postVoid(
      await manager(),
      (outcome as { redemption: { reference: string } }).redemption.reference,
      'Client parti',
    );
    expect(response.status).toBe(200);
    expect((await runtime.ctx.db('vouchers').where({ id: issued.voucher.id }).first()).uses).toBe(
      0,
    );
  });

  it('refuses after 15 minutes, keeping the redemption whole', async () => {
    const offer = await buildOffer(runtime.ctx.db, { limit_count: 2, limit_period: 'month' });
    const redemption = await redeemCard(
      offer.id,
      new Date(Date.now() - 16 * 60_000),
      'void-late-01',
    );

    const response = await postVoid(await manager(), redemption.reference, 'Trop tard');
    expect(response.status).toBe(409);
    expect(response.text).toContain('le délai de 15 minutes est dépassé');
    expect(await runtime.ctx.db('redemptions').where({ offer_id: offer.id })).toHaveLength(1);
    expect((await runtime.ctx.db('holder_usage').where({ offer_id: offer.id }).first()).used).toBe(
      1,
    );
  });

  it('refuses staff, in their language', async () => {
    const offer = await buildOffer(runtime.ctx.db);
    const redemption = await redeemCard(offer.id, new Date(), 'void-staff-01');
    const agent = await staff();

    const form = await agent.get(`/portal/redemptions/${redemption.reference}/void?lang=ar`);
    expect(form.text).toContain('لا يمكن إلغاء العملية إلا من طرف المسير.');
    const response = await agent
      .post(`/portal/redemptions/${redemption.reference}/void`)
      .type('form')
      .send({ reason: 'Essai', _csrf: csrfOf(form.text) });
    expect(response.status).toBe(403);
    expect(response.text).toContain('لا يمكن إلغاء العملية إلا من طرف المسير.');
    expect(
      await runtime.ctx.db('redemptions').where({ voids_redemption_id: redemption.id }),
    ).toHaveLength(0);
  });

  it("answers 404 for another partner's redemption", async () => {
    const offer = await buildOffer(runtime.ctx.db);
    const redemption = await redeemCard(offer.id, new Date(), 'void-other-01');
    await createPartnerUser(runtime.ctx.db, {
      partnerCode: 'CL-CAS-01',
      email: 'gerant@clinique-anfa.ma',
      password: 'clinique-anfa-2026',
      role: 'manager',
    });
    const agent = await signIn('gerant@clinique-anfa.ma', 'clinique-anfa-2026');

    expect((await agent.get(`/portal/redemptions/${redemption.reference}/void`)).status).toBe(404);
    const home = await agent.get('/portal/scan');
    const response = await agent
      .post(`/portal/redemptions/${redemption.reference}/void`)
      .type('form')
      .send({ reason: 'Pas à nous', _csrf: csrfOf(home.text) });
    expect(response.status).toBe(404);
    expect(
      await runtime.ctx.db('redemptions').where({ voids_redemption_id: redemption.id }),
    ).toHaveLength(0);
  });

  it('asks again for a missing reason without voiding', async () => {
    const offer = await buildOffer(runtime.ctx.db);
    const redemption = await redeemCard(offer.id, new Date(), 'void-reason-01');

    const response = await postVoid(await manager(), redemption.reference, '  ');
    expect(response.status).toBe(422);
    expect(response.text).toContain('Indiquez le motif');
    expect(
      await runtime.ctx.db('redemptions').where({ voids_redemption_id: redemption.id }),
    ).toHaveLength(0);
    expect(businessDate(new Date(redemption.occurred_at))).toBe(redemption.business_date);
  });
});
