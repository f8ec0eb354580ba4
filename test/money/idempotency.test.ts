import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { createApiKey } from '../../src/partners/service';
import { issueVoucher } from '../../src/vouchers/service';
import { formatVoucherCode } from '../../src/vouchers/repository';
import { buildOffer } from '../support/offers';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
let apiKey: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  apiKey = await createApiKey(runtime.ctx.db, 'PH-GLM-01');
});

afterAll(() => runtime.close());

const redeem = (body: object) =>
  request(runtime.app)
    .post('/api/v1/redemptions')
    .set('Authorization', `Bearer ${apiKey}`)
    .send(body);

describe('an idempotency key names one redemption', () => {
  it('answers 5 retries of one key with the original redemption, stored once', async () => {
    const offer = await buildOffer(runtime.ctx.db, { limit_count: 10, limit_period: 'day' });
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    const body = {
      qr: card.url,
      offerId: offer.id,
      grossCents: 12_345,
      idempotencyKey: 'retry-key-0001',
    };

    const answers = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      answers.push(await redeem(body));
    }

    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect(
      answers.slice(1).every((answer) => answer.headers['idempotent-replayed'] === 'true'),
    ).toBe(true);
    expect(answers[0].headers['idempotent-replayed']).toBeUndefined();
    for (const answer of answers) {
      expect(answer.body).toEqual(answers[0].body);
    }
    expect(answers[0].body).toMatchObject({
      grossCents: 12_345,
      discountCents: 1_235,
      netCents: 11_110,
    });
    expect(
      await runtime.ctx.db('redemptions').where({ idempotency_key: 'retry-key-0001' }),
    ).toHaveLength(1);
    expect((await runtime.ctx.db('holder_usage').where({ offer_id: offer.id }).first()).used).toBe(
      1,
    );
  });

  it('answers 5 simultaneous retries of one key with one redemption', async () => {
    const offer = await buildOffer(runtime.ctx.db, { limit_count: 10, limit_period: 'day' });
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    const body = {
      qr: card.url,
      offerId: offer.id,
      grossCents: 5_000,
      idempotencyKey: 'retry-key-0002',
    };

    const answers = await Promise.all(Array.from({ length: 5 }, () => redeem(body)));

    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.reference)).size).toBe(1);
    expect(
      await runtime.ctx.db('redemptions').where({ idempotency_key: 'retry-key-0002' }),
    ).toHaveLength(1);
  });

  it('refuses the same key with another amount, offer or credential with 422, storing nothing', async () => {
    const offer = await buildOffer(runtime.ctx.db);
    const other = await buildOffer(runtime.ctx.db);
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    const body = {
      qr: card.url,
      offerId: offer.id,
      grossCents: 20_000,
      idempotencyKey: 'retry-key-0003',
    };
    expect((await redeem(body)).status).toBe(201);

    for (const changed of [
      { ...body, grossCents: 20_001 },
      { ...body, offerId: other.id },
      { ...body, qr: 'not a card at all' },
    ]) {
      const response = await redeem(changed);
      expect(response.status).toBe(422);
      expect(response.body.error).toBe('idempotency_key_reused');
      expect(response.body.message).toBe('Cette clé a déjà servi pour une autre demande.');
    }
    expect(
      await runtime.ctx.db('redemptions').where({ idempotency_key: 'retry-key-0003' }),
    ).toHaveLength(1);
  });

  it("treats a voucher's QR and its typed code as the same request", async () => {
    const offer = await buildOffer(runtime.ctx.db, { voucher_required: true, voucher_uses: 2 });
    const issued = await issueVoucher(runtime.ctx, { memberNumber: '100001', offerId: offer.id });
    const body = {
      qr: issued.url,
      offerId: offer.id,
      grossCents: 3_000,
      idempotencyKey: 'retry-key-0004',
    };
    const first = await redeem(body);
    const typed = await redeem({
      ...body,
      qr: formatVoucherCode(issued.voucher.code).toLowerCase(),
    });

    expect(first.status).toBe(201);
    expect(typed.status).toBe(201);
    expect(typed.body).toEqual(first.body);
    expect((await runtime.ctx.db('vouchers').where({ id: issued.voucher.id }).first()).uses).toBe(
      1,
    );
  });

  it('answers the retry of a redemption that used up its voucher with that one', async () => {
    const offer = await buildOffer(runtime.ctx.db, { voucher_required: true, voucher_uses: 1 });
    const issued = await issueVoucher(runtime.ctx, { memberNumber: '100001', offerId: offer.id });
    const body = {
      qr: issued.url,
      offerId: offer.id,
      grossCents: 4_000,
      idempotencyKey: 'retry-key-0005',
    };
    const first = await redeem(body);
    const retry = await redeem(body);
    const other = await redeem({ ...body, idempotencyKey: 'retry-key-0006' });

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(other.status).toBe(409);
    expect(other.body.reason).toBe('already_used');
    const stored = await runtime.ctx.db('redemptions').where({ voucher_id: issued.voucher.id });
    expect(stored).toHaveLength(1);
    expect(
      await runtime.ctx.db('refused_attempts').where({ token_id: issued.voucher.id }),
    ).toHaveLength(1);
  });
});
