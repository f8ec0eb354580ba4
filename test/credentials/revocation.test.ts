import { compactVerify, createLocalJWKSet } from 'jose';
import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { REVOCATION_LIST_TYPE, revokeCard } from '../../src/credentials/revocation';
import { createApiKey } from '../../src/partners/service';
import { DEMO_LOGINS } from '../../seeds/demo';
import { createTestRuntime, TestRuntime } from '../support/runtime';
import { signedInAgent } from './support';

let runtime: TestRuntime;
let apiKey: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  apiKey = await createApiKey(runtime.ctx.db, 'PH-GLM-01');
});

afterAll(() => runtime.close());

const verify = (qr: string) =>
  request(runtime.app).post('/api/v1/verify').set('Authorization', `Bearer ${apiKey}`).send({ qr });

async function dependantsOf(number: string): Promise<Record<string, number>> {
  const rows = await runtime.ctx
    .db('dependants')
    .join('members', 'members.id', 'dependants.member_id')
    .where('members.number', number)
    .select('dependants.id', 'dependants.relation');

  return Object.fromEntries(rows.map((row) => [row.relation, row.id]));
}

/** Fetches one page of the revocation list and checks its signature against the public keys. */
async function revocationPage(query: string) {
  const response = await request(runtime.app).get(`/api/v1/revocations${query}`);
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/jose/);
  expect(response.headers['cache-control']).toMatch(/max-age=\d+/);
  const jwks = await request(runtime.app).get('/.well-known/jwks.json');
  const { payload, protectedHeader } = await compactVerify(
    response.text,
    createLocalJWKSet(JSON.parse(jwks.text)),
    { algorithms: ['ES256'] },
  );
  expect(protectedHeader.typ).toBe(REVOCATION_LIST_TYPE);

  return JSON.parse(new TextDecoder().decode(payload));
}

describe('revoking cards', () => {
  it('revokes the previous card when a new one is issued: the old one is refused as revoked', async () => {
    const first = await issueCard(runtime.ctx, { memberNumber: '100003' });
    const second = await issueCard(runtime.ctx, { memberNumber: '100003' });

    const old = await verify(first.url);
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({ verdict: 'refused', reason: 'revoked' });
    const current = await verify(second.url);
    expect(current.body.verdict).toBe('valid');
    const row = await runtime.ctx.db('cards').where({ id: first.id }).first();
    expect(row.revoked_reason).toBe('replaced');
  });

  it('gives each dependant a card of their own; revoking one leaves the others valid', async () => {
    const { spouse, child } = await dependantsOf('100001');
    const member = await issueCard(runtime.ctx, { memberNumber: '100001' });
    const spouseCard = await issueCard(runtime.ctx, { memberNumber: '100001', dependantId: spouse });
    const childCard = await issueCard(runtime.ctx, { memberNumber: '100001', dependantId: child });

    const childVerdict = await verify(childCard.url);
    expect(childVerdict.body.verdict).toBe('valid');
    expect(childVerdict.body.holder).toMatchObject({
      name: 'Youssef Bennani',
      nameAr: 'يوسف بناني',
      relation: 'child',
      memberName: 'Ahmed Bennani',
      memberNumber: '100001',
    });

    const { agent, csrf } = await signedInAgent(runtime.app);
    const revoked = await agent
      .post(`/admin/cards/${spouseCard.id}/revoke`)
      .type('form')
      .send({ _csrf: csrf, reason: 'lost' });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.location).toBe('/admin/cards?member=100001&done=revoked');

    expect((await verify(spouseCard.url)).body).toMatchObject({ verdict: 'refused', reason: 'revoked' });
    expect((await verify(childCard.url)).body.verdict).toBe('valid');
    expect((await verify(member.url)).body.verdict).toBe('valid');
    const row = await runtime.ctx.db('cards').where({ id: spouseCard.id }).first();
    expect(row.revoked_reason).toBe('lost');
  });

  it('shows the counter the relation of a dependant on the verdict page', async () => {
    const { child } = await dependantsOf('100001');
    const card = await issueCard(runtime.ctx, { memberNumber: '100001', dependantId: child });
    const { agent, csrf } = await signedInAgent(runtime.app, DEMO_LOGINS.partnerStaff);
    const french = await agent.post('/portal/verify').type('form').send({ _csrf: csrf, qr: card.url });
    expect(french.status).toBe(200);
    expect(french.text).toContain('Enfant de Ahmed Bennani');
  });

  it('lets an admin revoke a card by scanning it, with a reason; a second time changes nothing', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100004' });
    const { agent, csrf } = await signedInAgent(runtime.app);
    const first = await agent.post('/admin/revocations').type('form').send({ _csrf: csrf, qr: card.url, reason: 'stolen' });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/admin/revocations/new?done=revoked');
    const again = await agent.post('/admin/revocations').type('form').send({ _csrf: csrf, qr: card.url, reason: 'stolen' });
    expect(again.headers.location).toBe('/admin/revocations/new?done=already_revoked');
    expect(await runtime.ctx.db('revocations').where({ token_id: card.id })).toHaveLength(1);
    expect((await verify(card.url)).body.reason).toBe('revoked');
  });

  it('answers a clear error, not a 500, for text that is no credential or a reason not in the list', async () => {
    const { agent, csrf } = await signedInAgent(runtime.app);
    const junk = await agent.post('/admin/revocations').type('form').send({ _csrf: csrf, qr: 'hello', reason: 'lost' });
    expect(junk.status).toBe(400);
    expect(junk.text).toContain('ni une carte ni un bon du club');

    const card = await issueCard(runtime.ctx, { memberNumber: '100002' });
    const badReason = await agent
      .post(`/admin/cards/${card.id}/revoke?lang=ar`)
      .type('form')
      .send({ _csrf: csrf, reason: 'because' });
    expect(badReason.status).toBe(400);
    expect(badReason.text).toContain('اختر سبب الإلغاء من القائمة.');
    expect((await verify(card.url)).body.verdict).toBe('valid');
  });

  it('keeps the revocation pages to club admins', async () => {
    const { agent } = await signedInAgent(runtime.app, DEMO_LOGINS.coordinator);
    expect((await agent.get('/admin/revocations/new')).status).toBe(403);
    expect((await agent.get('/admin/keys')).status).toBe(403);
    const anonymous = await request(runtime.app).get('/admin/keys');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toBe('/login?next=%2Fadmin%2Fkeys');
  });
});

describe('the signed revocation list', () => {
  it('lists revocations after a cursor, signed by the active key, page by page', async () => {
    const start = await revocationPage('');
    expect(start.v).toBe(1);
    expect(start.since).toBe(0);

    const cards = [];
    for (const number of ['100002', '100003', '100004']) {
      const card = await issueCard(runtime.ctx, { memberNumber: number });
      await revokeCard(runtime.ctx, { cardId: card.id, reason: 'lost' });
      cards.push(card);
    }

    const firstPage = await revocationPage(`?since=${start.cursor}&limit=2`);
    expect(firstPage.more).toBe(true);
    expect(firstPage.entries).toHaveLength(2);
    const pages = [firstPage];
    while (pages[pages.length - 1].more) {
      const page = await revocationPage(`?since=${pages[pages.length - 1].cursor}&limit=2`);
      expect(page.since).toBe(pages[pages.length - 1].cursor);
      pages.push(page);
    }
    const lastPage = pages[pages.length - 1];
    const entries = pages.flatMap((page) => page.entries);
    const ids = entries.map((entry: { id: string }) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(cards.map((card) => card.id)));
    for (const entry of entries) {
      expect(Object.keys(entry)).toEqual(['id', 'kind', 'revokedAt', 'expiresAt']);
      expect(entry.kind).toBe('card');
      expect(entry.expiresAt).toBeGreaterThan(entry.revokedAt);
    }

    const nothingNew = await revocationPage(`?since=${lastPage.cursor}`);
    expect(nothingNew).toMatchObject({ since: lastPage.cursor, cursor: lastPage.cursor, more: false, entries: [] });
  });

  it('leaves out cards and vouchers that have expired anyway, and moves the cursor past them', async () => {
    const before = await revocationPage('');
    await runtime.ctx.db('revocations').insert({
      token_id: 'expiredLongAgo01',
      kind: 'card',
      reason: 'lost',
      revoked_at: new Date('2025-01-10T10:00:00Z'),
      token_expires_at: new Date('2025-12-31T23:00:00Z'),
    });
    const after = await revocationPage(`?since=${before.cursor}`);
    expect(after.entries).toEqual([]);
    expect(after.cursor).toBeGreaterThan(before.cursor);
  });

  it('refuses a cursor that is not a whole number with a 400 in the reader language', async () => {
    for (const query of ['?since=-1', '?since=abc', '?since=1e3', '?limit=0', '?limit=5000']) {
      const response = await request(runtime.app).get(`/api/v1/revocations${query}`);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_cursor');
    }
    const arabic = await request(runtime.app).get('/api/v1/revocations?since=x').set('Accept-Language', 'ar');
    expect(arabic.body.message).toContain('معطيات غير صالحة');
  });
});
