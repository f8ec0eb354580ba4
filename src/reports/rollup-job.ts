import cron, { ScheduledTask } from 'node-cron';

import { Db } from '../db';
import { logger } from '../logger';
import { rollUpRedemptions } from './rollups';

/** Every five minutes: reports then read at most five minutes of ledger rows beyond the totals. */
export const ROLLUP_SCHEDULE = '*/5 * * * *';

/**
 * Runs the roll-up for one time slot on whichever instance claims the slot first (a row in
 * `job_runs`); the others skip it. A second run by mistake would find nothing new anyway.
 */
export async function runRollupSlot(db: Db, now: Date): Promise<boolean> {
  const slot = new Date(Math.floor(now.getTime() / 300_000) * 300_000).toISOString();
  const claimed = await db('job_runs')
    .insert({ job: 'report-rollup', slot, started_at: now })
    .onConflict(['job', 'slot'])
    .ignore()
    .returning('slot');
  if (claimed.length === 0) {
    return false;
  }

  try {
    const run = await rollUpRedemptions(db, now);
    await db('job_runs')
      .where({ job: 'report-rollup', slot })
      .update({ finished_at: new Date(), outcome: `${run.rows} rows` });
  } catch (error) {
    logger.error({ err: error }, 'report roll-up failed');
    await db('job_runs')
      .where({ job: 'report-rollup', slot })
      .update({ finished_at: new Date(), outcome: 'failed' });
  }

  return true;
}

/** Starts the roll-up schedule in this process; returns the task so shutdown can stop it. */
export function scheduleRollups(db: Db): ScheduledTask {
  return cron.schedule(ROLLUP_SCHEDULE, () => {
    void runRollupSlot(db, new Date()).catch((error) =>
      logger.error({ err: error }, 'report roll-up could not be scheduled'),
    );
  });
}
