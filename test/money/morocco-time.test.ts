import { spawn } from 'node:child_process';
import path from 'node:path';

import moment from 'moment-timezone';

import { assertZoneData, endOfBusinessDay, ZoneDataError } from '../../src/time';
import { issueVoucher } from '../../src/vouchers/service';
import { buildOffer } from '../support/offers';
import { createTestRuntime, TestRuntime } from '../support/runtime';

const ROOT = path.join(__dirname, '../..');

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

/** Runs test/support/redeem-at.ts under a given TZ and returns what it printed. */
function redeemInProcess(
  tz: string,
  attempts: object[],
): Promise<{ tz: string; offsetMinutes: number; outcomes: object[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
        'test/support/redeem-at.ts',
        JSON.stringify(attempts),
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          TZ: tz,
          DATABASE_URL: runtime.url,
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(stderr)),
    );
  });
}

describe("'valid until D' means through the end of day D in Casablanca, whatever the server's zone", () => {
  it.each([
    ['UTC', 0],
    ['Europe/Paris', 120],
    ['Africa/Casablanca', null],
  ])(
    'gives the same answers with TZ=%s',
    async (tz, expectedOffset) => {
      const offer = await buildOffer(runtime.ctx.db, { voucher_required: true, voucher_uses: 10 });
      const summer = await issueVoucher(runtime.ctx, {
        memberNumber: '100001',
        offerId: offer.id,
        now: new Date('2026-06-20T10:00:00Z'),
      });
      const winter = await issueVoucher(runtime.ctx, {
        memberNumber: '100001',
        offerId: offer.id,
        now: new Date('2026-12-01T10:00:00Z'),
      });
      await runtime.ctx
        .db('vouchers')
        .where({ id: summer.voucher.id })
        .update({ expires_on: '2026-06-30' });
      await runtime.ctx
        .db('vouchers')
        .where({ id: winter.voucher.id })
        .update({ expires_on: '2026-12-31' });
      const attempt = (qr: string, at: string, key: string) => ({
        qr,
        offerId: offer.id,
        at,
        key: `${tz}-${key}`,
      });

      const printed = await redeemInProcess(tz, [
        // 23:30 local on 30 June (UTC+01 that day).
        attempt(summer.voucher.code, '2026-06-30T22:30:00Z', 'summer-in'),
        // 00:00:30 local on 1 July.
        attempt(summer.voucher.code, '2026-06-30T23:00:30Z', 'summer-out'),
        // 23:59:30 local on 31 December (UTC+00 since 20 September 2026).
        attempt(winter.voucher.code, '2026-12-31T23:59:30Z', 'winter-in'),
        attempt(winter.voucher.code, '2027-01-01T00:00:30Z', 'winter-out'),
      ]);

      expect(printed.tz).toBe(tz);
      if (expectedOffset !== null) {
        expect(printed.offsetMinutes).toBe(expectedOffset);
      }
      expect(printed.outcomes).toEqual([
        { at: '2026-06-30T22:30:00Z', status: 'redeemed', businessDate: '2026-06-30' },
        { at: '2026-06-30T23:00:30Z', status: 'refused', reason: 'expired' },
        { at: '2026-12-31T23:59:30Z', status: 'redeemed', businessDate: '2026-12-31' },
        { at: '2027-01-01T00:00:30Z', status: 'refused', reason: 'expired' },
      ]);
    },
    120_000,
  );

  it('ends a business day at the local midnight of the zone data the app carries', () => {
    expect(endOfBusinessDay('2026-06-30').toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(endOfBusinessDay('2026-12-31').toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('the zone data check at start', () => {
  const version = moment.tz.dataVersion;

  afterEach(() => {
    moment.tz.dataVersion = version;
  });

  it('accepts the data the app carries and names its version', () => {
    expect(assertZoneData()).toBe(version);
    expect(version >= '2026c').toBe(true);
  });

  it('refuses data older than 2026c with a message that says what to do', () => {
    moment.tz.dataVersion = '2025c';

    expect(() => assertZoneData()).toThrow(ZoneDataError);
    expect(() => assertZoneData()).toThrow(/2025c predates 2026c.*Update moment-timezone/);
  });
});
