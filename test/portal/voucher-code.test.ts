import request from 'supertest';

import { findPartnerByCode } from '../../src/partners/service';
import { redeem } from '../../src/redemptions/redeem';
import { DEMO_LOGINS } from '../../seeds/demo';
import { csrfTokenOf, inputValue, signIn } from '../support/forms';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
const year = new Date().getUTCFullYear();

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

/** A blood-sugar test voucher of the Guelmim pharmacy for member 100001, with `overrides`. */
async function buildVoucher(overrides: Record<string, unknown> = {}) {
  const member = await runtime.ctx.db('members').where({ number: '100001' }).first();
  const offer = await runtime.ctx.db('offers').where({ title_fr: 'Test de glycémie offert' }).first();
  const kid = (await runtime.ctx.db('signing_keys').first('kid')).kid;
  const voucher = {
    id: `voucher-${Math.random().toString(36).slice(2, 12)}`,
    code: 'K7XD93FA',
    offer_id: offer.id,
    member_id: member.id,
    holder_key: `M${member.id}`,
    kid,
    max_uses: 1,
    uses: 0,
    expires_on: `${year + 1}-12-31`,
    issued_at: new Date(`${year}-01-02T09:00:00Z`),
    ...overrides,
  };
  await runtime.ctx.db('vouchers').insert(voucher);

  return voucher;
}

function signedInStaff() {
  return signIn(runtime.app, DEMO_LOGINS.partnerStaff);
}

describe('a voucher code typed at the counter', () => {
  it('is read whatever its case and dashes, and once used says when and where', async () => {
    const voucher = await buildVoucher();
    const agent = await signedInStaff();
    const scan = await agent.get('/portal/scan');
    expect(scan.text).toContain('id="voucher-code"');

    const verdict = await agent.post('/portal/verify').type('form').send({ _csrf: csrfTokenOf(scan.text), qr: ' k7xd-93fa ' });
    expect(verdict.text).toContain('VALIDE');
    expect(verdict.text).toContain('Test de glycémie offert');
    expect(verdict.text).toContain('K7XD-93FA');
    expect(verdict.text).toContain('Reste : 1 utilisation(s)');
    expect(inputValue(verdict.text, 'qr')).toBe(' k7xd-93fa ');

    // Used on 15 October next year, 10:00 UTC: 10:00 in Morocco, on UTC+00 since 2026-09-20.
    // (Next year, so that the offer's one-a-year limit of this year is not what refuses it.)
    const pharmacy = (await findPartnerByCode(runtime.ctx.db, 'PH-GLM-01'))!;
    const outcome = await redeem(runtime.ctx, {
      qr: voucher.code, offerId: voucher.offer_id, grossCents: 8_000, idempotencyKey: 'voucher-code-1',
      partner: pharmacy, channel: 'portal', now: new Date(`${year + 1}-10-15T10:00:00Z`),
    });
    expect(outcome.status).toBe('redeemed');

    const again = await agent.post('/portal/verify').type('form').send({ _csrf: csrfTokenOf(scan.text), qr: 'K7XD93FA' });
    expect(again.text).toContain('REFUSÉ');
    expect(again.text).toContain('data-reason="already_used"');
    expect(again.text).toContain(`Déjà utilisé le 15/10/${year + 1} 10:00 chez Pharmacie Al Amal.`);
    expect(again.text).toContain('N&#x27;accordez pas l&#x27;avantage une seconde fois.');

    const arabic = await agent.post('/portal/verify?lang=ar').type('form').send({ _csrf: csrfTokenOf(scan.text), qr: 'K7XD93FA' });
    expect(arabic.text).toContain('مرفوضة');
    expect(arabic.text).toContain('سبق استعمال هذه القسيمة.');
    expect(arabic.text).toMatch(/استعملت يوم .* لدى Pharmacie Al Amal/);
  });
});
