import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { DEMO_LOGINS } from '../../seeds/demo';
import { csrfTokenOf, inputValue } from '../support/forms';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

async function signedInStaff() {
  const agent = request.agent(runtime.app);
  const page = await agent.get('/login');
  const response = await agent.post('/login').type('form').send({
    _csrf: csrfTokenOf(page.text),
    email: DEMO_LOGINS.partnerStaff.email,
    password: DEMO_LOGINS.partnerStaff.password,
  });
  expect(response.status).toBe(302);
  expect(response.headers.location).toBe('/portal/scan');

  return agent;
}

describe('the counter: scan, verdict, redeem, receipt', () => {
  it('redeems a card once, shows the discount before confirming, and a double submit keeps one row', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    const agent = await signedInStaff();

    const scan = await agent.get('/portal/scan');
    expect(scan.text).toContain('autofocus');
    const verdict = await agent
      .post('/portal/verify')
      .type('form')
      .send({ _csrf: csrfTokenOf(scan.text), qr: card.url });
    expect(verdict.status).toBe(200);
    expect(verdict.text).toContain('VALIDE');
    expect(verdict.text).toContain('Ahmed Bennani');
    expect(verdict.text).toContain('10 % sur la parapharmacie');

    const form = {
      _csrf: csrfTokenOf(verdict.text),
      qr: card.url,
      offerId: inputValue(verdict.text, 'offerId'),
      idempotencyKey: inputValue(verdict.text, 'idempotencyKey'),
    };
    const confirm = await agent.post('/portal/redeem/confirm').type('form').send({ ...form, amount: '250,00' });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toMatch(/25,00\s*MAD/);
    expect(confirm.text).toMatch(/225,00\s*MAD/);
    expect(await runtime.ctx.db('redemptions').count('* as n').first()).toEqual({ n: 0 });

    const redeemed = await agent.post('/portal/redeem').type('form').send({ ...form, amount: '250,00' });
    expect(redeemed.status).toBe(303);
    expect(redeemed.headers.location).toMatch(/^\/portal\/receipts\/R[A-Z0-9]+\?saved=1$/);
    const twice = await agent.post('/portal/redeem').type('form').send({ ...form, amount: '250,00' });
    expect(twice.status).toBe(303);
    expect(twice.headers.location).toBe(redeemed.headers.location.replace('saved', 'replayed'));
    expect(await runtime.ctx.db('redemptions').count('* as n').first()).toEqual({ n: 1 });

    // The clerk goes back, changes the amount and sends the same form again.
    const changed = await agent
      .post('/portal/redeem')
      .type('form')
      .send({ ...form, amount: '300' });
    expect(changed.status).toBe(422);
    expect(changed.text).toContain(
      'Ce formulaire a déjà servi. Scannez à nouveau la carte pour un nouveau passage.',
    );
    expect(changed.text).toContain('href="/portal/scan"');
    expect(changed.text).not.toContain('Cette clé');
    const changedAr = await agent
      .post('/portal/redeem?lang=ar')
      .type('form')
      .send({ ...form, amount: '300' });
    expect(changedAr.status).toBe(422);
    expect(changedAr.text).toContain('سبق استعمال هذه الاستمارة. امسح البطاقة من جديد');
    await agent.get('/portal/scan?lang=fr');
    expect(await runtime.ctx.db('redemptions').count('* as n').first()).toEqual({ n: 1 });

    const receipt = await agent.get(redeemed.headers.location);
    expect(receipt.status).toBe(200);
    const reference = redeemed.headers.location.split('/').pop()!.split('?')[0];
    expect(receipt.text).toContain(reference);
    expect(receipt.text).toContain('Pharmacie Al Amal');
    expect(receipt.text).toMatch(/225,00\s*MAD/);
    const reload = await agent.get(redeemed.headers.location);
    expect(reload.status).toBe(200);
    expect(await runtime.ctx.db('redemptions').count('* as n').first()).toEqual({ n: 1 });
  });

  it('offers the manager, and only the manager, a way to void a redemption from the list and the receipt', async () => {
    const reference = (await runtime.ctx.db('redemptions').where({ kind: 'redeem' }).first('reference')).reference;
    const staff = await signedInStaff();
    expect((await staff.get(`/portal/receipts/${reference}`)).text).not.toContain(`/portal/redemptions/${reference}/void`);

    const manager = request.agent(runtime.app);
    const page = await manager.get('/login');
    await manager.post('/login').type('form').send({
      _csrf: csrfTokenOf(page.text),
      email: DEMO_LOGINS.partnerManager.email,
      password: DEMO_LOGINS.partnerManager.password,
    });
    expect((await manager.get(`/portal/receipts/${reference}`)).text).toContain(`/portal/redemptions/${reference}/void`);
    const list = await manager.get('/portal/redemptions');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`/portal/redemptions/${reference}/void`);
    const form = await manager.get(`/portal/redemptions/${reference}/void`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Annuler ce passage');
  });

  it('explains a refusal in words and says what to do next', async () => {
    const agent = await signedInStaff();
    const scan = await agent.get('/portal/scan');
    const verdict = await agent
      .post('/portal/verify')
      .type('form')
      .send({ _csrf: csrfTokenOf(scan.text), qr: 'bonjour' });
    expect(verdict.status).toBe(200);
    expect(verdict.text).toContain('REFUSÉ');
    expect(verdict.text).toContain('n&#x27;est pas une carte ou un bon NadiPass');
    expect(verdict.text).toContain('data-reason="malformed"');
  });

  it('asks again, in plain words, for an amount it cannot read', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    const agent = await signedInStaff();
    const scan = await agent.get('/portal/scan');
    const verdict = await agent
      .post('/portal/verify')
      .type('form')
      .send({ _csrf: csrfTokenOf(scan.text), qr: card.url });
    const confirm = await agent.post('/portal/redeem/confirm').type('form').send({
      _csrf: csrfTokenOf(verdict.text),
      qr: card.url,
      offerId: inputValue(verdict.text, 'offerId'),
      idempotencyKey: inputValue(verdict.text, 'idempotencyKey'),
      amount: 'deux cents',
    });
    expect(confirm.status).toBe(422);
    expect(confirm.text).toContain('Montant invalide');
  });

  it('rejects a form posted without its CSRF token', async () => {
    const agent = await signedInStaff();
    const response = await agent.post('/portal/verify').type('form').send({ qr: 'x' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('Le formulaire a expiré');
  });

  it('refuses a wrong password with a message, and sends visitors to the login page', async () => {
    const agent = request.agent(runtime.app);
    const page = await agent.get('/login');
    const response = await agent.post('/login').type('form').send({
      _csrf: csrfTokenOf(page.text),
      email: DEMO_LOGINS.partnerStaff.email,
      password: 'not-the-password',
    });
    expect(response.status).toBe(401);
    expect(response.text).toContain('Adresse e-mail ou mot de passe incorrect.');

    const anonymous = await request(runtime.app).get('/portal/scan');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toBe('/login?next=%2Fportal%2Fscan');
  });

  it('shows the club report to an admin, with the redemption under its region', async () => {
    const agent = request.agent(runtime.app);
    const page = await agent.get('/login');
    await agent.post('/login').type('form').send({
      _csrf: csrfTokenOf(page.text),
      email: DEMO_LOGINS.admin.email,
      password: DEMO_LOGINS.admin.password,
    });
    const report = await agent.get('/admin/reports/regions?from=2026-01-01&to=2030-12-31');
    expect(report.status).toBe(200);
    expect(report.text).toContain('Guelmim-Oued Noun');
    expect(report.text).toContain('Dakhla-Oued Ed-Dahab');

    const badDate = await agent.get('/admin/reports/regions?from=2026-02-31');
    expect(badDate.status).toBe(400);
    expect(badDate.text).toContain('Date invalide');

    const staff = await signedInStaff();
    const forbidden = await staff.get('/admin/reports/regions');
    expect(forbidden.status).toBe(403);
  });
});
