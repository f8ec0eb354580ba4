import request from 'supertest';

import { scannedText } from '../../src/cards/qr';
import { issueCard } from '../../src/cards/service';
import { typeQwertyOnAzerty } from '../../src/credentials/keyboard';
import { createApiKey } from '../../src/partners/service';
import { DEMO_LOGINS } from '../../seeds/demo';
import { csrfTokenOf, inputValue, signIn } from '../support/forms';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

function signedInStaff() {
  return signIn(runtime.app, DEMO_LOGINS.partnerStaff);
}

function decodeEntities(html: string): string {
  return html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'");
}

describe('the scan field behind a scanner with the wrong keyboard layout', () => {
  it('repairs an AZERTY-mangled card URL, says so, and redeems the same card', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    // What the scanner reads from the QR, typed key by key on the wrong layout.
    const read = scannedText(card.url);
    const mangled = typeQwertyOnAzerty(read);
    expect(mangled).toMatch(/^HTTPM!!LOCQLHOSTM"ààà!V![&é"'(\-è_çà]+$/);

    const agent = await signedInStaff();
    const scan = await agent.get('/portal/scan');
    const verdict = await agent
      .post('/portal/verify')
      .type('form')
      .send({ _csrf: csrfTokenOf(scan.text), qr: mangled });
    expect(verdict.status).toBe(200);
    expect(verdict.text).toContain('VALIDE');
    expect(verdict.text).toContain('Ahmed Bennani');
    expect(verdict.text).toContain('réglé sur un clavier QWERTY');
    expect(decodeEntities(inputValue(verdict.text, 'qr'))).toBe(read);

    const form = {
      _csrf: csrfTokenOf(verdict.text),
      qr: decodeEntities(inputValue(verdict.text, 'qr')),
      offerId: inputValue(verdict.text, 'offerId'),
      idempotencyKey: inputValue(verdict.text, 'idempotencyKey'),
      amount: '100',
    };
    const redeemed = await agent.post('/portal/redeem').type('form').send(form);
    expect(redeemed.status).toBe(303);
    const rows = await runtime.ctx.db('redemptions').where({ idempotency_key: form.idempotencyKey });
    expect(rows).toHaveLength(1);
    expect(rows[0].card_id).toBe(card.id);
    expect(Number(rows[0].discount_cents)).toBe(1_000);
  });

  it('says the scanner layout looks wrong when the mangled text does not repair to a card', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100002' });
    const mangled = typeQwertyOnAzerty(scannedText(card.url));
    // One character lost on the way: the repaired text is no longer a genuine token.
    const damaged = mangled.slice(0, -5) + mangled.slice(-4);

    const agent = await signedInStaff();
    const scan = await agent.get('/portal/scan');
    const verdict = await agent
      .post('/portal/verify')
      .type('form')
      .send({ _csrf: csrfTokenOf(scan.text), qr: damaged });
    expect(verdict.status).toBe(200);
    expect(verdict.text).toContain('REFUSÉ');
    expect(verdict.text).toContain('data-reason="keyboard_layout"');
    expect(verdict.text).toContain('Réglez le lecteur sur le clavier français AZERTY');
    const refused = await runtime.ctx.db('refused_attempts').orderBy('id', 'desc').first();
    expect(refused.reason).toBe('keyboard_layout');

    const arabic = await agent
      .post('/portal/verify?lang=ar')
      .type('form')
      .send({ _csrf: csrfTokenOf(scan.text), qr: damaged });
    expect(arabic.text).toContain('يبدو أن قارئ رمز QR مضبوط على لوحة مفاتيح أخرى');
  });

  it('leaves ordinary junk as malformed, and repairs mangled text on the partner API too', async () => {
    const agent = await signedInStaff();
    const scan = await agent.get('/portal/scan');
    const junk = await agent
      .post('/portal/verify')
      .type('form')
      .send({ _csrf: csrfTokenOf(scan.text), qr: 'hello world' });
    expect(junk.text).toContain('data-reason="malformed"');

    const card = await issueCard(runtime.ctx, { memberNumber: '100003' });
    const apiKey = await createApiKey(runtime.ctx.db, 'HT-AGA-01');
    const response = await request(runtime.app)
      .post('/api/v1/verify')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ qr: typeQwertyOnAzerty(scannedText(card.url)) });
    expect(response.status).toBe(200);
    expect(response.body.verdict).toBe('valid');
    expect(response.body.holder.name).toBe('Rachid Ouali');
  });
});
