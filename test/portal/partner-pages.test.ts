import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { findPartnerByCode, Partner } from '../../src/partners/service';
import { redeem } from '../../src/redemptions/redeem';
import { DEMO_LOGINS } from '../../seeds/demo';
import { csrfTokenOf, signIn as signInAgent } from '../support/forms';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
let pharmacy: Partner;
let hotel: Partner;
// The demo memberships cover the current year: the frozen instants sit in it, in January.
const year = new Date().getUTCFullYear();
const JAN_20 = new Date(`${year}-01-20T10:00:00Z`);
const JAN_21 = new Date(`${year}-01-21T10:00:00Z`);

function signIn(email: string, password: string) {
  return signInAgent(runtime.app, { email, password });
}

async function offerId(partner: Partner, voucherRequired: boolean): Promise<number> {
  const row = await runtime.ctx.db('offers').where({ partner_id: partner.id, voucher_required: voucherRequired }).first('id');

  return Number(row.id);
}

async function redeemAt(partner: Partner, memberNumber: string, grossCents: number, now: Date, partnerUserId?: number) {
  const card = await issueCard(runtime.ctx, { memberNumber, now });
  const outcome = await redeem(runtime.ctx, {
    qr: card.url,
    offerId: await offerId(partner, false),
    grossCents,
    idempotencyKey: `pages-${memberNumber}-${grossCents}-${now.getTime()}`,
    partner,
    partnerUserId,
    channel: 'portal',
    now,
  });
  if (outcome.status !== 'redeemed') {
    throw new Error(`fixture redemption refused: ${outcome.verdict.reason}`);
  }

  return outcome.redemption;
}

async function userId(email: string): Promise<number> {
  return Number((await runtime.ctx.db('partner_users').where({ email }).first('id')).id);
}

beforeAll(async () => {
  runtime = await createTestRuntime();
  pharmacy = (await findPartnerByCode(runtime.ctx.db, 'PH-GLM-01'))!;
  hotel = (await findPartnerByCode(runtime.ctx.db, 'HT-AGA-01'))!;
  const staffId = await userId(DEMO_LOGINS.partnerStaff.email);
  const managerId = await userId(DEMO_LOGINS.partnerManager.email);
  await redeemAt(pharmacy, '100001', 25_000, JAN_20, staffId);
  await redeemAt(pharmacy, '100001', 10_050, JAN_21, managerId);
  const voided = await redeemAt(pharmacy, '100001', 40_000, JAN_21, staffId);
  // A void is a second row pointing at the first (the void service writes the same shape).
  await runtime.ctx.db('redemptions').insert({
    ...Object.fromEntries(
      ['partner_id', 'partner_user_id', 'offer_id', 'card_id', 'member_id', 'holder_key', 'province_code', 'region_code']
        .map((key) => [key, (voided as unknown as Record<string, unknown>)[key]]),
    ),
    reference: 'RVOIDTEST01', kind: 'void', voids_redemption_id: voided.id, void_reason: 'Erreur de montant',
    gross_cents: 40_000, discount_cents: 4_000, business_date: `${year}-01-21`, channel: 'portal',
    occurred_at: new Date(JAN_21.getTime() + 600_000),
  });
  await redeemAt(hotel, '100003', 99_900, JAN_21);
});

afterAll(() => runtime.close());

describe("a partner's redemption lists", () => {
  it("lists the partner's own redemptions of a period with totals, never another partner's", async () => {
    const agent = await signIn(DEMO_LOGINS.partnerStaff.email, DEMO_LOGINS.partnerStaff.password);
    const page = await agent.get(`/portal/redemptions?from=${year}-01-01&to=${year}-01-31`);
    expect(page.status).toBe(200);
    expect(page.text.match(/<tr(?: class="voided")?>\s*<td>/g)).toHaveLength(3);
    expect(page.text).toContain(`20/01/${year}`);
    expect(page.text).toContain('Ahmed Bennani');
    expect(page.text).not.toContain('Rachid Ouali');
    expect(page.text).toContain('Annulé le');
    expect(page.text).toContain('Erreur de montant');
    // Two kept: 250,00 + 100,50 = 350,50 gross, 35,05 discount (the voided 400,00 is left out).
    expect(page.text).toMatch(/2 avantage\(s\) maintenu\(s\) · montant total 350,50\s*MAD · remises 35,05\s*MAD/);

    const voidedOnly = await agent.get(`/portal/redemptions?from=${year}-01-01&to=${year}-01-31&status=voided`);
    expect(voidedOnly.text.match(/<tr class="voided">/g)).toHaveLength(1);
    const byManager = await agent.get(
      `/portal/redemptions?from=${year}-01-01&to=${year}-01-31&staff=${await userId(DEMO_LOGINS.partnerManager.email)}`,
    );
    expect(byManager.text).toContain('100,50');
    expect(byManager.text).not.toContain('250,00');
  });

  it('shows today by default, and explains a bad date instead of failing', async () => {
    const agent = await signIn(DEMO_LOGINS.partnerStaff.email, DEMO_LOGINS.partnerStaff.password);
    const today = await agent.get('/portal/redemptions');
    expect(today.status).toBe(200);
    expect(today.text).toContain('Aucun avantage accordé sur cette période.');

    const bad = await agent.get('/portal/redemptions?from=2026-02-31');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Date invalide');
    const reversed = await agent.get(`/portal/redemptions?from=${year}-02-01&to=${year}-01-01&lang=ar`);
    expect(reversed.status).toBe(400);
    expect(reversed.text).toContain('فترة غير صالحة');
  });

  it('exports the list as CSV with a BOM, money as numbers, and formulas made inert', async () => {
    const manager = await signIn(DEMO_LOGINS.partnerManager.email, DEMO_LOGINS.partnerManager.password);
    const staffPage = await manager.get('/portal/staff');
    const created = await manager.post('/portal/staff').type('form').send({
      _csrf: csrfTokenOf(staffPage.text), name: '=HYPERLINK("http://evil.example")', email: 'formula@pharmacie-alamal.ma',
      role: 'staff', password: 'formula-test-2026',
    });
    expect(created.status).toBe(303);
    await redeemAt(pharmacy, '100001', 5_000, new Date(`${year}-01-22T10:00:00Z`), await userId('formula@pharmacie-alamal.ma'));

    const csv = await manager.get(`/portal/redemptions.csv?from=${year}-01-01&to=${year}-01-31`).buffer(true);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`redemptions-${year}-01-01-${year}-01-31.csv`);
    const text = Buffer.isBuffer(csv.body) ? csv.body.toString('utf8') : csv.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split(/\r?\n/);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('Référence');
    expect(text).toContain('250,00');
    expect(text).toContain('Erreur de montant');
    expect(text).not.toMatch(/[;\n]"?=HYPERLINK/);
    expect(text).toContain("'=HYPERLINK");
  });
});

describe('the monthly statement', () => {
  it('counts, sums the gross and the discount per offer for the month, leaving voids out', async () => {
    const manager = await signIn(DEMO_LOGINS.partnerManager.email, DEMO_LOGINS.partnerManager.password);
    const page = await manager.get(`/portal/statement?month=${year}-01`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Relevé mensuel — janvier ${year}`);
    expect(page.text).toContain('Pharmacie Al Amal');
    // 250,00 + 100,50 + 50,00 kept (one voided): 3 redemptions, 400,50 gross, 40,05 discount.
    expect(page.text).toMatch(/class="num total-count">3</);
    expect(page.text).toMatch(/class="num total-gross">400,50\s*MAD</);
    expect(page.text).toMatch(/class="num total-discount">40,05\s*MAD</);
    expect(page.text).toContain('1 avantage(s) de ce mois ont été annulés');

    const arabic = await manager.get(`/portal/statement?month=${year}-01&lang=ar`);
    expect(arabic.text).toContain('dir="rtl"');
    expect(arabic.text).toContain('الكشف الشهري');
    expect(arabic.text).toContain('يناير');
    // The choice is kept on the manager's account: back to French for the other tests.
    await manager.get('/portal/statement?lang=fr');

    const bad = await manager.get('/portal/statement?month=2026-13');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Mois invalide');
  });

  it('is for managers only', async () => {
    const staff = await signIn(DEMO_LOGINS.partnerStaff.email, DEMO_LOGINS.partnerStaff.password);
    expect((await staff.get('/portal/statement')).status).toBe(403);
    expect((await staff.get('/portal/staff')).status).toBe(403);
    const scan = await staff.get('/portal/scan');
    expect(scan.text).not.toContain('href="/portal/staff"');
  });
});

describe('staff accounts', () => {
  it('creates a login, refuses bad input in words, disables it at once, and resets its password', async () => {
    const manager = await signIn(DEMO_LOGINS.partnerManager.email, DEMO_LOGINS.partnerManager.password);
    let page = await manager.get('/portal/staff');
    const csrf = csrfTokenOf(page.text);

    const short = await manager.post('/portal/staff').type('form').send({ _csrf: csrf, name: 'Samira', email: 'samira@pharmacie-alamal.ma', role: 'staff', password: 'court' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('au moins 10 caractères');
    expect(short.text).toContain('value="samira@pharmacie-alamal.ma"');
    const taken = await manager.post('/portal/staff').type('form').send({ _csrf: csrf, name: 'X', email: DEMO_LOGINS.partnerStaff.email, role: 'staff', password: 'long-enough-2026' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('a déjà un compte');

    const created = await manager.post('/portal/staff').type('form').send({ _csrf: csrf, name: 'Samira', email: 'Samira@Pharmacie-AlAmal.ma', role: 'staff', password: 'samira-2026-ok' });
    expect(created.status).toBe(303);
    const samira = await signIn('samira@pharmacie-alamal.ma', 'samira-2026-ok');
    expect((await samira.get('/portal/scan')).status).toBe(200);
    const samiraId = await userId('samira@pharmacie-alamal.ma');
    expect((await runtime.ctx.db('partner_users').where({ id: samiraId }).first()).partner_id).toBe(pharmacy.id);

    page = await manager.get('/portal/staff');
    const disabled = await manager.post(`/portal/staff/${samiraId}/disable`).type('form').send({ _csrf: csrfTokenOf(page.text) });
    expect(disabled.status).toBe(303);
    // Signed out at once, and refused at the next login.
    expect((await samira.get('/portal/scan')).headers.location).toMatch(/^\/login/);
    const again = request.agent(runtime.app);
    const login = await again.get('/login');
    expect((await again.post('/login').type('form').send({ _csrf: csrfTokenOf(login.text), email: 'samira@pharmacie-alamal.ma', password: 'samira-2026-ok' })).status).toBe(401);

    page = await manager.get('/portal/staff');
    await manager.post(`/portal/staff/${samiraId}/enable`).type('form').send({ _csrf: csrfTokenOf(page.text) });
    const reset = await manager.post(`/portal/staff/${samiraId}/password`).type('form').send({ _csrf: csrfTokenOf(page.text), password: 'nouveau-2026-pass' });
    expect(reset.status).toBe(303);
    await signIn('samira@pharmacie-alamal.ma', 'nouveau-2026-pass');
  });

  it("never touches another partner's accounts, nor lets a manager disable themself", async () => {
    const manager = await signIn(DEMO_LOGINS.partnerManager.email, DEMO_LOGINS.partnerManager.password);
    const page = await manager.get('/portal/staff');
    const [other] = await runtime.ctx.db('partner_users')
      .insert({ partner_id: hotel.id, email: 'accueil@hotel.ma', role: 'staff', password_hash: 'x' })
      .returning('id');
    const response = await manager.post(`/portal/staff/${other.id}/disable`).type('form').send({ _csrf: csrfTokenOf(page.text) });
    expect(response.status).toBe(404);
    expect((await runtime.ctx.db('partner_users').where({ id: other.id }).first()).disabled_at).toBeNull();
    expect(page.text).not.toContain('accueil@hotel.ma');

    const self = await manager
      .post(`/portal/staff/${await userId(DEMO_LOGINS.partnerManager.email)}/disable`)
      .type('form')
      .send({ _csrf: csrfTokenOf(page.text) });
    expect(self.status).toBe(422);
    expect(self.text).toContain('votre propre compte');
  });
});
