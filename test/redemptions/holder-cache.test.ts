import type pg from 'pg';
import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { revokeCard } from '../../src/credentials/revocation';
import { createApiKey } from '../../src/partners/service';
import { HolderCache, useHolderCache } from '../../src/redemptions/holder-cache';
import { quietly as quietlyIn, withinASecond } from '../support/notices';
import { buildOffer } from '../support/offers';
import { createTestRuntime, TestRuntime } from '../support/runtime';

/** A holder cache whose listening connection can be made to stop answering, as a hung one does. */
class PausableHolderCache extends HolderCache {
  paused = false;

  protected override ping(client: pg.Client): Promise<unknown> {
    return this.paused ? new Promise(() => undefined) : super.ping(client);
  }
}

let runtime: TestRuntime;
let cache: PausableHolderCache;
let apiKey: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  cache = new PausableHolderCache(runtime.url);
  await cache.start();
  useHolderCache(runtime.ctx.db, cache);
  apiKey = await createApiKey(runtime.ctx.db, 'PH-GLM-01');
});

afterAll(async () => {
  await cache.stop();
  await runtime.close();
});

const verify = (qr: string) =>
  request(runtime.app).post('/api/v1/verify').set('Authorization', `Bearer ${apiKey}`).send({ qr });

/** Changes rows without firing their triggers, so no change notice is sent. */
const quietly = (sql: string, bindings: (string | number)[]) =>
  quietlyIn(runtime.ctx.db, sql, bindings);

async function memberId(number: string): Promise<number> {
  return (await runtime.ctx.db('members').where({ number }).first('id')).id;
}

describe('the holder cache', () => {
  it('answers a card scanned before from memory, dropped when the member changes', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    expect((await verify(card.url)).body).toMatchObject({ verdict: 'valid' });
    expect(cache.active).toBe(true);

    // Suspended behind the cache's back: the answer still comes from memory.
    const id = await memberId('100001');
    await quietly("update members set status = 'suspended' where id = ?", [id]);
    expect((await verify(card.url)).body).toMatchObject({ verdict: 'valid' });

    // A change made as usual notifies every instance, and the next scan reads it.
    await runtime.ctx.db('members').where({ id }).update({ status: 'suspended' });
    await withinASecond(async () => {
      expect((await verify(card.url)).body).toMatchObject({
        verdict: 'refused',
        reason: 'holder_not_in_good_standing',
      });
    });
    await runtime.ctx.db('members').where({ id }).update({ status: 'active' });
    await withinASecond(async () => {
      expect((await verify(card.url)).body).toMatchObject({ verdict: 'valid' });
    });
  });

  it('refuses a card revoked a moment ago, here or on another instance', async () => {
    const revokedHere = await issueCard(runtime.ctx, { memberNumber: '100002' });
    expect((await verify(revokedHere.url)).body).toMatchObject({ verdict: 'valid' });
    expect((await verify(revokedHere.url)).body).toMatchObject({ verdict: 'valid' });

    // Revoked through this instance: its very next scan is refused, with no wait.
    await revokeCard(runtime.ctx, { cardId: revokedHere.id, reason: 'lost' });
    expect((await verify(revokedHere.url)).body).toMatchObject({
      verdict: 'refused',
      reason: 'revoked',
    });

    // Revoked by another instance (a plain update here): refused as soon as the notice arrives.
    const revokedThere = await issueCard(runtime.ctx, { memberNumber: '100003' });
    expect((await verify(revokedThere.url)).body).toMatchObject({ verdict: 'valid' });
    await runtime.ctx.db('cards').where({ id: revokedThere.id }).update({ revoked_at: new Date() });
    await withinASecond(async () => {
      expect((await verify(revokedThere.url)).body).toMatchObject({
        verdict: 'refused',
        reason: 'revoked',
      });
    });
  });

  it('counts a use taken a moment ago in the uses left', async () => {
    const offer = await buildOffer(runtime.ctx.db, {
      title_fr: 'Deux fois par mois',
      scope: 'national',
      limit_count: 2,
      limit_period: 'month',
    });
    const card = await issueCard(runtime.ctx, { memberNumber: '100004' });
    const usesLeft = async () =>
      (await verify(card.url)).body.offers.find((entry: { id: number }) => entry.id === offer.id)
        .remaining;
    expect(await usesLeft()).toBe(2);
    expect(await usesLeft()).toBe(2);

    const redeemed = await request(runtime.app)
      .post('/api/v1/redemptions')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ qr: card.url, offerId: offer.id, grossCents: 10_000, idempotencyKey: 'cache-use-1' });
    expect(redeemed.status).toBe(201);
    expect(await usesLeft()).toBe(1);

    // The counter changed elsewhere (a void on another instance, say).
    await runtime.ctx.db('holder_usage')
      .where({ offer_id: offer.id, holder_key: `M${await memberId('100004')}` })
      .update({ used: 0 });
    await withinASecond(async () => {
      expect(await usesLeft()).toBe(2);
    });
  });

  it('keeps no load that began before a notice about what it read', () => {
    const since = cache.mark();
    cache.invalidate('m900001');
    cache.keepCredential('cards:id:late:2026-12-04', 900001, { read: 'before the change' }, since);
    expect(cache.credential('cards:id:late:2026-12-04')).toBeUndefined();

    // A notice about another member does not concern it.
    cache.keepCredential('cards:id:other:2026-12-04', 900002, { read: 'unchanged' }, since);
    expect(cache.credential('cards:id:other:2026-12-04')).toEqual({ read: 'unchanged' });

    // `*` drops everything, and what began before it is not kept.
    cache.invalidate('*');
    expect(cache.credential('cards:id:other:2026-12-04')).toBeUndefined();
    cache.keepCredential('cards:id:other:2026-12-04', 900002, { read: 'unchanged' }, since);
    expect(cache.credential('cards:id:other:2026-12-04')).toBeUndefined();
  });

  it('reads everything from the database while its listening connection is down', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    expect((await verify(card.url)).body).toMatchObject({ verdict: 'valid' });

    await runtime.ctx.db.raw(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'nadipass-cache' and datname = current_database()`,
    );
    await withinASecond(async () => {
      expect(cache.active).toBe(false);
    });
    await quietly('update cards set revoked_at = now() where id = ?', [card.id]);
    expect((await verify(card.url)).body).toMatchObject({ verdict: 'refused', reason: 'revoked' });

    // It listens again on its own, from an empty cache.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(cache.active).toBe(true);
    expect((await verify(card.url)).body).toMatchObject({ verdict: 'refused', reason: 'revoked' });
  });

  it('serves nothing from memory while its listening connection does not answer', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100002' });
    expect((await verify(card.url)).body).toMatchObject({ verdict: 'valid' });
    // A healthy connection keeps answering: memory still serves after its first second.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(cache.active).toBe(true);

    // Hung, not closed: within a second memory stops serving, and a change made meanwhile
    // without a notice (as one lost on a hung connection would be) is read from the database.
    cache.paused = true;
    await withinASecond(async () => expect(cache.active).toBe(false));
    await quietly('update cards set revoked_at = now() where id = ?', [card.id]);
    expect((await verify(card.url)).body).toMatchObject({ verdict: 'refused', reason: 'revoked' });

    cache.paused = false;
    await withinASecond(async () => expect(cache.active).toBe(true));
    expect((await verify(card.url)).body).toMatchObject({ verdict: 'refused', reason: 'revoked' });
  });
});
