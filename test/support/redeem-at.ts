/**
 * Redeems vouchers at given instants, in a process of its own, and prints the outcomes as JSON
 * on stdout. The time zone tests run it with different `TZ` values: Node reads the zone once,
 * at process start. Input (argv[2]): [{ "qr", "offerId", "at", "key" }].
 */
import { loadConfig } from '../../src/config';
import { KeyStore } from '../../src/credentials/keys';
import { createDb } from '../../src/db';
import { findPartnerByCode } from '../../src/partners/service';
import { redeem } from '../../src/redemptions/redeem';

interface Attempt {
  qr: string;
  offerId: number;
  at: string;
  key: string;
}

async function main(): Promise<void> {
  const attempts: Attempt[] = JSON.parse(process.argv[2]);
  const db = createDb(process.env.DATABASE_URL!, { max: 2 });
  const keys = new KeyStore(db);
  await keys.init();
  const ctx = { db, keys, config: loadConfig() };
  const partner = (await findPartnerByCode(db, 'PH-GLM-01'))!;
  const outcomes = [];
  for (const attempt of attempts) {
    const outcome = await redeem(ctx, {
      qr: attempt.qr,
      offerId: attempt.offerId,
      grossCents: 10_000,
      idempotencyKey: attempt.key,
      partner,
      channel: 'api',
      now: new Date(attempt.at),
    });
    outcomes.push(
      outcome.status === 'redeemed'
        ? { at: attempt.at, status: 'redeemed', businessDate: outcome.redemption.business_date }
        : { at: attempt.at, status: 'refused', reason: outcome.verdict.reason },
    );
  }
  // The process's own idea of the zone, to show the TZ setting took effect.
  const offsetMinutes = -new Date('2026-06-30T22:30:00Z').getTimezoneOffset();
  process.stdout.write(JSON.stringify({ tz: process.env.TZ, offsetMinutes, outcomes }));
  await db.destroy();
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
