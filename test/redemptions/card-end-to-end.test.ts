import request from 'supertest';

import { qrPng, scannedText } from '../../src/cards/qr';
import { issueCard } from '../../src/cards/service';
import { extractToken } from '../../src/credentials/tokens';
import { createApiKey } from '../../src/partners/service';
import { regionReport } from '../../src/reports/regions';
import { createTestRuntime, TestRuntime } from '../support/runtime';
import { decodeQrPng } from '../support/qr';

let runtime: TestRuntime;
let apiKey: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  apiKey = await createApiKey(runtime.ctx.db, 'PH-GLM-01');
});

afterAll(() => runtime.close());

const api = (path: string) =>
  request(runtime.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${apiKey}`);

async function cardOfferId(): Promise<number> {
  const offer = await runtime.ctx
    .db('offers')
    .join('partners', 'partners.id', 'offers.partner_id')
    .where({ 'partners.code': 'PH-GLM-01', 'offers.voucher_required': false })
    .first('offers.id');

  return offer.id;
}

describe('a partner verifies and redeems a member card', () => {
  it('verifies the decoded PNG, redeems once, and the region report counts it', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    const scanned = decodeQrPng(await qrPng(card.url));
    // Scheme, host and `/v/` in capitals (the QR's compact alphanumeric mode), then the token's
    // numeric form.
    expect(scanned).toBe(scannedText(card.url));
    expect(scanned).toMatch(/^HTTP:\/\/LOCALHOST:3000\/V\/[1-9][0-9]{400,}$/);
    expect(extractToken(String(scanned))).toBe(card.token);

    const verified = await api('/verify').send({ qr: scanned });
    expect(verified.status).toBe(200);
    expect(verified.body.verdict).toBe('valid');
    expect(verified.body.reason).toBeNull();
    expect(verified.body.holder.name).toBe('Ahmed Bennani');
    expect(verified.body.holder.nameAr).toBe('أحمد بناني');
    const offerId = await cardOfferId();
    expect(verified.body.offers.map((offer: { id: number }) => offer.id)).toEqual([offerId]);

    const body = { qr: scanned, offerId, grossCents: 25_000, idempotencyKey: 'counter-1-0001' };
    const first = await api('/redemptions').send(body);
    expect(first.status).toBe(201);
    expect(first.body.discountCents).toBe(2_500);
    expect(first.body.netCents).toBe(22_500);

    const again = await api('/redemptions').send(body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const rows = await runtime.ctx.db('redemptions').where({ idempotency_key: 'counter-1-0001' });
    expect(rows).toHaveLength(1);
    expect(rows[0].region_code).toBe('10');

    const report = await regionReport(runtime.ctx.db, {
      from: first.body.businessDate,
      to: first.body.businessDate,
    });
    const guelmim = report.find((row) => row.code === '10')!;
    expect(guelmim).toMatchObject({ redemptions: 1, grossCents: 25_000, discountCents: 2_500 });
    expect(report.filter((row) => row.code !== '10').every((row) => row.redemptions === 0)).toBe(true);
  });

  it('refuses a token with any one character changed, with a reason code and HTTP 200', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100002' });
    const token = card.token;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const reasons = new Set<string>();
    const positions = [...[...token].keys()].filter((index) => token[index] !== '.');
    for (const index of positions) {
      const replacement = alphabet[(alphabet.indexOf(token[index]) + 7) % alphabet.length];
      const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
      const response = await api('/verify').send({ qr: tampered });
      expect(response.status).toBe(200);
      expect(response.body.verdict).toBe('refused');
      expect(typeof response.body.reason).toBe('string');
      reasons.add(response.body.reason);
    }
    expect([...reasons].every((reason) => ['malformed', 'unknown_key', 'bad_signature'].includes(reason))).toBe(true);
  });

  it('refuses the QR URL with any one digit of the token changed', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100002' });
    const digitsAt = card.url.lastIndexOf('/') + 1;
    const reasons = new Map<string, number>();
    // Every 3rd digit: a few hundred requests, each part of the token hit many times.
    for (let index = digitsAt; index < card.url.length; index += 3) {
      const digit = (Number(card.url[index]) + 1) % 10;
      const tampered = card.url.slice(0, index) + String(digit) + card.url.slice(index + 1);
      const response = await api('/verify').send({ qr: tampered });
      expect({ status: response.status, verdict: response.body.verdict }).toEqual({ status: 200, verdict: 'refused' });
      reasons.set(response.body.reason, (reasons.get(response.body.reason) ?? 0) + 1);
    }
    expect([...reasons.keys()].every((reason) => ['malformed', 'unknown_key', 'bad_signature'].includes(reason)))
      .toBe(true);
    expect(reasons.get('bad_signature')).toBeGreaterThan(0);
  });

  it('answers 401 without an API key and 400 for a body that is not JSON', async () => {
    const anonymous = await request(runtime.app).post('/api/v1/verify').send({ qr: 'x' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe('api_key');
    expect(anonymous.body.message).toContain('Authorization: Bearer');

    const wrongKey = await request(runtime.app)
      .post('/api/v1/verify')
      .set('Authorization', 'Bearer np_not-a-real-key')
      .send({ qr: 'x' });
    expect(wrongKey.status).toBe(401);

    const broken = await api('/verify').set('Content-Type', 'application/json').send('{"qr": ');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('invalid_json');

    const text = await api('/verify').set('Content-Type', 'text/plain').send('{"qr": "x"}');
    expect(text.status).toBe(400);
    expect(text.body.error).toBe('json_required');
  });

  it('answers 405 for another method and a JSON 404 for an unknown API path', async () => {
    const put = await request(runtime.app)
      .put('/api/v1/verify')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ qr: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('POST');
    expect(put.body.error).toBe('method_not_allowed');

    const unknown = await request(runtime.app)
      .post('/api/v1/nothing-here')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('not_found');
  });

  it('reads a card URL shared with a query, a fragment or a trailing slash as the same card', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    for (const qr of [`${card.url}?lang=ar`, `${card.url}#top`, `${card.url}/`, `  ${card.url}\n`]) {
      const response = await api('/verify').send({ qr });
      expect(response.body).toMatchObject({ verdict: 'valid', kind: 'card' });
    }
    const elsewhere = await api('/verify').send({ qr: card.url.replace('/v/', '/x/') });
    expect(elsewhere.body.reason).toBe('malformed');
  });

  it('tells a partner without a current agreement nothing about the holder', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100005' }).catch(() => null);
    expect(card).toBeNull();
    const member = await issueCard(runtime.ctx, { memberNumber: '100003' });
    const laayouneKey = await createApiKey(runtime.ctx.db, 'LB-LAA-01');
    const response = await request(runtime.app)
      .post('/api/v1/verify')
      .set('Authorization', `Bearer ${laayouneKey}`)
      .send({ qr: member.url });
    expect(response.body).toMatchObject({ verdict: 'refused', reason: 'partner_not_allowed', holder: null });
    expect(JSON.stringify(response.body)).not.toContain('Ouali');
  });

  it('refuses a zero or negative amount', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    const offerId = await cardOfferId();
    for (const grossCents of [0, -100, 100_000_001, 12.5]) {
      const response = await api('/redemptions').send({
        qr: card.url,
        offerId,
        grossCents,
        idempotencyKey: `zero-amount-${grossCents}`,
      });
      expect(response.status).toBe(422);
      expect(response.body.details.fields).toEqual(['grossCents']);
    }
  });

  it('refuses a redemption with the wrong shape with 422, naming the fields', async () => {
    const response = await api('/redemptions').send({ qr: 'x', offerId: 'one', grossCents: -5 });
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('invalid_request');
    expect(response.body.details.fields).toEqual(
      expect.arrayContaining(['offerId', 'grossCents', 'idempotencyKey']),
    );
  });

  it('shows anyone who opens the QR URL the holder name and validity, nothing more', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    const page = await request(runtime.app).get(new URL(card.url).pathname);
    expect(page.status).toBe(200);
    // What a phone opens from the QR: scheme, host and `/V/` in capitals.
    const opened = await request(runtime.app).get(new URL(scannedText(card.url)).pathname);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('Carte valable');
    expect(page.text).toContain('Carte valable');
    expect(page.text).toContain('Ahmed Bennani');
    expect(page.text).toContain('31/12/');
    expect(page.text).not.toContain('JA123456');
    expect(page.text).not.toContain('+212661234501');
    expect(page.text).not.toContain('100001');

    const forged = await request(runtime.app).get('/v/not.a.token');
    expect(forged.status).toBe(200);
    expect(forged.text).toContain('Carte non valable');
  });

  it('publishes the public key set with cache headers, and a health check', async () => {
    const jwks = await request(runtime.app).get('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.headers['cache-control']).toMatch(/max-age=\d+/);
    const keys = JSON.parse(jwks.text).keys;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: runtime.ctx.keys.signingKey().kid });
    expect(keys[0].d).toBeUndefined();

    const health = await request(runtime.app).get('/healthz');
    expect(health.status).toBe(200);
  });
});
