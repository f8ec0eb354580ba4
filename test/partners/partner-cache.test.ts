import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { revokeCard } from '../../src/credentials/revocation';
import { PartnerCache, usePartnerCache } from '../../src/partners/cache';
import { createApiKey } from '../../src/partners/service';
import { quietly as quietlyIn, withinASecond } from '../support/notices';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
let cache: PartnerCache;

beforeAll(async () => {
  runtime = await createTestRuntime();
  cache = new PartnerCache(runtime.url);
  await cache.start();
  usePartnerCache(runtime.ctx.db, cache);
});

afterAll(async () => {
  await cache.stop();
  await runtime.close();
});

const verify = (apiKey: string, qr: string) =>
  request(runtime.app).post('/api/v1/verify').set('Authorization', `Bearer ${apiKey}`).send({ qr });

/** Changes a row without firing its triggers, so no change notice is sent. */
const quietly = (sql: string, bindings: string[]) => quietlyIn(runtime.ctx.db, sql, bindings);

async function offerTitles(apiKey: string, qr: string): Promise<string[]> {
  const response = await verify(apiKey, qr);
  expect(response.status).toBe(200);

  return response.body.offers.map((offer: { title: string }) => offer.title);
}

describe('the partner cache', () => {
  it('serves offers from memory and drops them as soon as an offer changes', async () => {
    const apiKey = await createApiKey(runtime.ctx.db, 'PH-GLM-01');
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    expect(cache.active).toBe(true);
    expect(await offerTitles(apiKey, card.url)).toEqual(['10 % sur la parapharmacie']);

    // Changed behind the cache's back: the answer still comes from memory.
    await quietly("update offers set title_fr = 'Silencieux' where title_fr = ?", [
      '10 % sur la parapharmacie',
    ]);
    expect(await offerTitles(apiKey, card.url)).toEqual(['10 % sur la parapharmacie']);

    // A normal change notifies every instance, and the next scan reads it.
    await runtime.ctx.db('offers').where({ title_fr: 'Silencieux' }).update({ title_fr: '12 % sur tout' });
    await withinASecond(async () => {
      expect(await offerTitles(apiKey, card.url)).toEqual(['12 % sur tout']);
    });
  });

  it('refuses an API key revoked a second earlier', async () => {
    const apiKey = await createApiKey(runtime.ctx.db, 'PH-GLM-01');
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    expect((await verify(apiKey, card.url)).status).toBe(200);
    expect((await verify(apiKey, card.url)).status).toBe(200);

    await runtime.ctx.db('partner_api_keys').where({ prefix: apiKey.slice(0, 8) }).update({
      revoked_at: runtime.ctx.db.fn.now(),
    });
    await withinASecond(async () => {
      const response = await verify(apiKey, card.url);
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('api_key');
    });
  });

  it('refuses the partner once its agreement is ended', async () => {
    const apiKey = await createApiKey(runtime.ctx.db, 'CL-CAS-01');
    const card = await issueCard(runtime.ctx, { memberNumber: '100002' });
    const before = await verify(apiKey, card.url);
    expect(before.body).toMatchObject({ verdict: 'valid', reason: null });

    const partner = await runtime.ctx.db('partners').where({ code: 'CL-CAS-01' }).first('id');
    await runtime.ctx.db('agreements').where({ partner_id: partner.id }).update({ ends_on: '2020-12-31' });
    await withinASecond(async () => {
      const after = await verify(apiKey, card.url);
      expect(after.body).toMatchObject({ verdict: 'refused', reason: 'partner_not_allowed' });
    });
  });

  it('sees a card revoked a second earlier, on a partner kept in memory', async () => {
    const apiKey = await createApiKey(runtime.ctx.db, 'PH-GLM-01');
    const card = await issueCard(runtime.ctx, { memberNumber: '100003' });
    expect((await verify(apiKey, card.url)).body).toMatchObject({ verdict: 'valid' });
    expect((await verify(apiKey, card.url)).body).toMatchObject({ verdict: 'valid' });

    await revokeCard(runtime.ctx, { cardId: card.id, reason: 'lost' });
    const response = await verify(apiKey, card.url);
    expect(response.body).toMatchObject({ verdict: 'refused', reason: 'revoked' });
  });

  it('reads everything from the database while its listening connection is down', async () => {
    const apiKey = await createApiKey(runtime.ctx.db, 'PH-GLM-01');
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    expect(await offerTitles(apiKey, card.url)).toEqual(['12 % sur tout']);

    await runtime.ctx.db.raw(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'nadipass-cache' and datname = current_database()`,
    );
    await withinASecond(async () => {
      expect(cache.active).toBe(false);
    });
    await quietly("update offers set title_fr = 'Lu en base' where title_fr = ?", ['12 % sur tout']);
    expect(await offerTitles(apiKey, card.url)).toEqual(['Lu en base']);

    // It listens again on its own, from an empty cache.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(cache.active).toBe(true);
    expect(await offerTitles(apiKey, card.url)).toEqual(['Lu en base']);
  });
});
