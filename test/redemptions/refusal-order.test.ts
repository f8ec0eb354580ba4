import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { createApiKey } from '../../src/partners/service';
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

describe('a holder who has used up every offer at this partner', () => {
  it('is told what is wrong with the offer asked for before the limit of the others', async () => {
    const db = runtime.ctx.db;
    const partner = await db('partners').where({ code: 'PH-GLM-01' }).first();
    // The only card offer left here: once a day.
    await db('offers')
      .where({ partner_id: partner.id, voucher_required: false })
      .update({ status: 'withdrawn' });
    const daily = await buildOffer(db, { limit_count: 1, limit_period: 'day' });
    const voucherOffer = await buildOffer(db, { voucher_required: true, voucher_uses: 1 });
    const elsewhere = await db('offers')
      .join('partners', 'partners.id', 'offers.partner_id')
      .whereNot('partners.code', 'PH-GLM-01')
      .first('offers.id');
    const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
    const ask = (offerId: number, key: string) =>
      redeem({ qr: card.url, offerId, grossCents: 10_000, idempotencyKey: key });

    expect((await ask(daily.id, 'order-0001')).status).toBe(201);
    const reasons = [];
    for (const [offerId, key] of [
      [daily.id, 'order-0002'],
      [voucherOffer.id, 'order-0003'],
      [elsewhere.id, 'order-0004'],
      [99_999_999, 'order-0005'],
    ] as const) {
      const answer = await ask(offerId, key);
      expect(answer.status).toBe(409);
      reasons.push(answer.body.reason);
    }
    expect(reasons).toEqual([
      'limit_reached',
      'voucher_required',
      'offer_not_found',
      'offer_not_found',
    ]);
  });
});
