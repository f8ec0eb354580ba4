import { issueCard } from '../../src/cards/service';
import { findPartnerByCode } from '../../src/partners/service';
import { redeem } from '../../src/redemptions/redeem';
import { verifyCredential } from '../../src/redemptions/verify';
import { formatVoucherCode } from '../../src/vouchers/repository';
import { issueVoucher } from '../../src/vouchers/service';
import { buildOffer } from '../support/offers';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

describe('the holder a verdict reads with the credential', () => {
  it('is the member and dependant as stored, field for field, with the paid period', async () => {
    const db = runtime.ctx.db;
    const partner = (await findPartnerByCode(db, 'PH-GLM-01'))!;
    const member = await db('members').where({ number: '100001' }).first('id');
    const child = await db('dependants')
      .where({ member_id: member.id, relation: 'child' })
      .first('id');
    const card = await issueCard(runtime.ctx, { memberNumber: '100001', dependantId: child.id });

    const verdict = await verifyCredential(runtime.ctx, { qr: card.url, partner });
    expect(verdict.verdict).toBe('valid');
    const holder = verdict.holder!;
    expect(Object.keys(holder.member)).toEqual(
      expect.arrayContaining(['id', 'number', 'first_name', 'last_name', 'full_name_ar', 'status',
        'work_province_code', 'residence_province_code']),
    );
    expect(holder.member).toEqual(
      await db('members').where({ id: member.id }).first(Object.keys(holder.member)),
    );
    expect(holder.dependant).toEqual(
      await db('dependants').where({ id: child.id }).first(Object.keys(holder.dependant!)),
    );
    expect(holder.holderKey).toBe(`D${child.id}`);
    // Every column of the card, as stored.
    expect(verdict.card).toEqual(await db('cards').where({ id: card.id }).first());

    const paid = await db('membership_periods')
      .where({ member_id: member.id })
      .where('valid_from', '<=', db.raw('current_date'))
      .where('valid_to', '>=', db.raw('current_date'))
      .max('valid_to as valid_to')
      .first();
    expect(holder.validUntil).toBe(paid?.valid_to);
    expect(holder.validUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('reads a voucher with every column as stored, by its QR and by its typed code', async () => {
    const db = runtime.ctx.db;
    const partner = (await findPartnerByCode(db, 'PH-GLM-01'))!;
    const offer = await buildOffer(db, { voucher_required: true, voucher_uses: 2 });
    const issued = await issueVoucher(runtime.ctx, { memberNumber: '100001', offerId: offer.id });
    const stored = await db('vouchers').where({ id: issued.voucher.id }).first();

    for (const qr of [issued.url, formatVoucherCode(issued.voucher.code)]) {
      const verdict = await verifyCredential(runtime.ctx, { qr, partner });
      expect(verdict.verdict).toBe('valid');
      expect(verdict.voucher).toEqual(stored);
      expect(verdict.offers.map((entry) => entry.remaining)).toEqual([2]);
    }
  });

  it('answers a redemption with the ledger row as stored', async () => {
    const db = runtime.ctx.db;
    const partner = (await findPartnerByCode(db, 'PH-GLM-01'))!;
    const offer = await buildOffer(db, { voucher_required: true, voucher_uses: 1 });
    const issued = await issueVoucher(runtime.ctx, { memberNumber: '100001', offerId: offer.id });
    const outcome = await redeem(runtime.ctx, {
      qr: issued.url,
      offerId: offer.id,
      grossCents: 10_000,
      idempotencyKey: 'holder-test-0001',
      partner,
      channel: 'api',
    });
    expect(outcome.status).toBe('redeemed');
    const redemption = outcome.status === 'redeemed' ? outcome.redemption : null;
    const stored = await db('redemptions').where({ id: redemption!.id }).first();
    // Every stored column but those the receipt never shows (how the request came in).
    const { api_key_id: _key, device_time: _device, channel: _channel, online: _online, ...shown } =
      stored;
    expect(redemption).toEqual(shown);
  });
});
