import { issueCard } from '../../src/cards/service';
import { findPartnerByCode } from '../../src/partners/service';
import { verifyCredential } from '../../src/redemptions/verify';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

describe('a card is valid through the end of its last local day, not a second more', () => {
  it('passes at 23:59:30 on its last day and is expired 30 seconds after midnight', async () => {
    await runtime.ctx.db('membership_periods').update({ valid_from: '2026-01-01', valid_to: '2026-12-31' });
    const card = await issueCard(runtime.ctx, {
      memberNumber: '100001',
      now: new Date('2026-12-03T10:00:00Z'),
    });
    // Morocco is on UTC+00 since 2026-09-20: the last local day ends at 2027-01-01T00:00Z.
    expect(card.expiresAt.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    const partner = (await findPartnerByCode(runtime.ctx.db, 'PH-GLM-01'))!;

    const lastMinute = await verifyCredential(runtime.ctx, {
      qr: card.url,
      partner,
      now: new Date('2026-12-31T23:59:30Z'),
    });
    expect(lastMinute.reason).toBeNull();
    expect(lastMinute.verdict).toBe('valid');

    const afterMidnight = await verifyCredential(runtime.ctx, {
      qr: card.url,
      partner,
      now: new Date('2027-01-01T00:00:30Z'),
    });
    expect(afterMidnight.verdict).toBe('refused');
    expect(afterMidnight.reason).toBe('expired');
  });
});
