import http from 'node:http';
import type { AddressInfo } from 'node:net';

import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { Context } from '../../src/context';
import { KeyStore } from '../../src/credentials/keys';
import { createDb } from '../../src/db';
import { loadConfig } from '../../src/config';
import { createApiKey } from '../../src/partners/service';
import { issueVoucher } from '../../src/vouchers/service';
import { buildOffer } from '../support/offers';
import { createTestDatabase, createTestRuntime, TestRuntime } from '../support/runtime';
import { startServerProcess } from '../support/server-process';

interface Attempt {
  status: number;
  reason: string | null;
}

/** Sends `count` redemptions of one credential at once, spread over the given API keys. */
async function redeemAtOnce(
  targets: string[],
  apiKeys: string[],
  body: { qr: string; offerId: number; grossCents: number },
  count: number,
  round: string,
): Promise<Attempt[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const response = await request(targets[index % targets.length])
        .post('/api/v1/redemptions')
        .set('Authorization', `Bearer ${apiKeys[index % apiKeys.length]}`)
        .send({ ...body, idempotencyKey: `${round}-attempt-${index}` });

      return { status: response.status, reason: response.body.reason ?? null };
    }),
  );
}

function tally(attempts: Attempt[]) {
  return {
    redeemed: attempts.filter((attempt) => attempt.status === 201).length,
    alreadyUsed: attempts.filter(
      (attempt) => attempt.status === 409 && attempt.reason === 'already_used',
    ).length,
    serverErrors: attempts.filter((attempt) => attempt.status >= 500).length,
  };
}

describe('one app instance', () => {
  let runtime: TestRuntime;
  let server: http.Server;
  let target: string;
  const apiKeys: string[] = [];

  beforeAll(async () => {
    runtime = await createTestRuntime();
    server = http.createServer(runtime.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (let index = 0; index < 10; index++) {
      apiKeys.push(await createApiKey(runtime.ctx.db, 'PH-GLM-01'));
    }
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await runtime.close();
  });

  it('redeems a 3-use voucher exactly 3 times out of 50 concurrent requests, 20 times over', async () => {
    const offer = await buildOffer(runtime.ctx.db, { voucher_required: true, voucher_uses: 3 });
    for (let round = 0; round < 20; round++) {
      const { voucher, url } = await issueVoucher(runtime.ctx, {
        memberNumber: '100001',
        offerId: offer.id,
      });
      const attempts = await redeemAtOnce(
        [target],
        apiKeys,
        { qr: url, offerId: offer.id, grossCents: 10_000 },
        50,
        `v${round}`,
      );

      expect(tally(attempts)).toEqual({ redeemed: 3, alreadyUsed: 47, serverErrors: 0 });
      const rows = await runtime.ctx.db('redemptions').where({ voucher_id: voucher.id });
      expect(rows).toHaveLength(3);
      const stored = await runtime.ctx.db('vouchers').where({ id: voucher.id }).first();
      expect(stored.uses).toBe(3);
    }

    const refused = await runtime.ctx
      .db('refused_attempts')
      .where({ action: 'redeem', reason: 'already_used', offer_id: offer.id })
      .count({ n: '*' })
      .first();
    expect(Number(refused!.n)).toBe(20 * 47);
  }, 600_000);

  it('redeems a once-a-month card offer once out of 20 concurrent requests for one holder', async () => {
    const offer = await buildOffer(runtime.ctx.db, { limit_count: 1, limit_period: 'month' });
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    const attempts = await redeemAtOnce(
      [target],
      apiKeys,
      { qr: card.url, offerId: offer.id, grossCents: 5_000 },
      20,
      'card',
    );

    expect(attempts.filter((attempt) => attempt.status === 201)).toHaveLength(1);
    expect(attempts.filter((attempt) => attempt.status >= 500)).toHaveLength(0);
    expect(
      new Set(
        attempts.filter((attempt) => attempt.status !== 201).map((attempt) => attempt.reason),
      ),
    ).toEqual(new Set(['limit_reached']));
    expect(await runtime.ctx.db('redemptions').where({ offer_id: offer.id })).toHaveLength(1);
    const usage = await runtime.ctx.db('holder_usage').where({ offer_id: offer.id });
    expect(usage).toMatchObject([{ holder_key: `M${card.member.id}`, used: 1, limit_count: 1 }]);
  });

  it('never lets an offer quota be exceeded by concurrent holders', async () => {
    const offer = await buildOffer(runtime.ctx.db, { quota: 2, scope: 'national' });
    const cards = await Promise.all(
      ['100001', '100002', '100003', '100004'].map((number) =>
        issueCard(runtime.ctx, { memberNumber: number }),
      ),
    );
    const attempts = await Promise.all(
      cards.map((card, index) =>
        request(target)
          .post('/api/v1/redemptions')
          .set('Authorization', `Bearer ${apiKeys[index]}`)
          .send({
            qr: card.url,
            offerId: offer.id,
            grossCents: 1_000,
            idempotencyKey: `quota-key-${index}`,
          }),
      ),
    );

    expect(attempts.filter((response) => response.status === 201)).toHaveLength(2);
    expect(
      attempts
        .filter((response) => response.status === 409)
        .map((response) => response.body.reason),
    ).toEqual(['quota_reached', 'quota_reached']);
    const stored = await runtime.ctx.db('offers').where({ id: offer.id }).first();
    expect(stored.redeemed_count).toBe(2);
  });
});

describe('two app processes on one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let servers: Awaited<ReturnType<typeof startServerProcess>>[] = [];
  let ctx: Context;

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = createDb(database.url, { max: 4 });
    const keys = new KeyStore(db);
    await keys.init();
    ctx = { db, keys, config: { ...loadConfig({ NODE_ENV: 'test' }), databaseUrl: database.url } };
    servers = await Promise.all([
      startServerProcess(database.url),
      startServerProcess(database.url),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    ctx.keys.stopRefreshing();
    await ctx.db.destroy();
    await database.drop();
  });

  it('states the zone data it uses at start', () => {
    for (const server of servers) {
      expect(server.output()).toMatch(
        /time zone: Africa\/Casablanca from moment-timezone data 20\d\d[a-z]/,
      );
    }
  });

  it('redeems a 3-use voucher exactly 3 times when 50 requests are split over both, 20 times over', async () => {
    const targets = servers.map((server) => `http://127.0.0.1:${server.port}`);
    const apiKeys: string[] = [];
    for (let index = 0; index < 10; index++) {
      apiKeys.push(await createApiKey(ctx.db, 'PH-GLM-01'));
    }
    const offer = await buildOffer(ctx.db, { voucher_required: true, voucher_uses: 3 });

    for (let round = 0; round < 20; round++) {
      const { voucher, url } = await issueVoucher(ctx, {
        memberNumber: '100001',
        offerId: offer.id,
      });
      const attempts = await redeemAtOnce(
        targets,
        apiKeys,
        { qr: url, offerId: offer.id, grossCents: 10_000 },
        50,
        `p${round}`,
      );

      expect(tally(attempts)).toEqual({ redeemed: 3, alreadyUsed: 47, serverErrors: 0 });
      expect(await ctx.db('redemptions').where({ voucher_id: voucher.id })).toHaveLength(3);
    }
  }, 600_000);
});
