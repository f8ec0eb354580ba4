import cron, { ScheduledTask } from 'node-cron';

import { Context } from '../context';
import { logger } from '../logger';
import { businessDate } from '../time';

/**
 * A job that runs once per slot across every app instance. Slots are the club's business dates
 * (Morocco's legal time), so "at the start of each business day" means the first tick of each
 * local day, whatever the servers' own zone.
 */
export interface Job {
  name: string;
  /** What the job did, in a short sentence kept in job_runs.outcome. */
  run(ctx: Context, slot: string, now: Date): Promise<string>;
}

export type JobRunResult =
  | { ran: true; slot: string; outcome: string }
  | { ran: false; slot: string; reason: 'already_ran' };

const registry = new Map<string, Job>();

/**
 * Adds a job to those the scheduler runs each business day (and `jobs:run` can run by name).
 * Other parts of the product register theirs at start the same way.
 */
export function registerJob(job: Job): void {
  if (registry.has(job.name)) {
    throw new Error(`A job named ${job.name} is registered twice`);
  }
  registry.set(job.name, job);
}

export function registeredJobs(): Job[] {
  return [...registry.values()];
}

export function findJob(name: string): Job | undefined {
  return registry.get(name);
}

/**
 * Runs a job for one slot unless some instance already has. The (job, slot) row is the leader
 * rule: whichever instance inserts it runs the job; the others see the conflict and skip. A
 * failed run deletes its row so that the next tick, on any instance, tries again.
 */
export async function runJobForSlot(
  ctx: Context,
  job: Job,
  slot: string,
  now: Date = new Date(),
): Promise<JobRunResult> {
  const claimed = await ctx.db.raw(
    `insert into job_runs (job, slot, started_at) values (?, ?, ?)
     on conflict (job, slot) do nothing returning job`,
    [job.name, slot, now],
  );
  if (claimed.rows.length === 0) {
    return { ran: false, slot, reason: 'already_ran' };
  }

  try {
    const outcome = await job.run(ctx, slot, now);
    await ctx
      .db('job_runs')
      .where({ job: job.name, slot })
      .update({ finished_at: new Date(), outcome });
    logger.info({ job: job.name, slot, outcome }, 'job ran');

    return { ran: true, slot, outcome };
  } catch (error) {
    await ctx.db('job_runs').where({ job: job.name, slot }).delete();
    throw error;
  }
}

/** Runs every registered job for the business date of `now`; one failure does not stop the rest. */
export async function runDueJobs(ctx: Context, now: Date = new Date()): Promise<JobRunResult[]> {
  const slot = businessDate(now);
  const results: JobRunResult[] = [];
  for (const job of registeredJobs()) {
    try {
      results.push(await runJobForSlot(ctx, job, slot, now));
    } catch (error) {
      logger.error({ err: error, job: job.name, slot }, 'job failed; the next tick retries it');
    }
  }

  return results;
}

/**
 * Ticks every five minutes on every instance. node-cron is given no time zone on purpose: its
 * zone handling uses Node's built-in zone data, an hour wrong for Morocco since 2026-09-20. The
 * tick only asks "which business date is it?" (answered by src/time); a new date is a new slot,
 * so each job runs at the first tick of the local day, and an instance that was down at
 * midnight catches up at its first tick.
 */
export function startScheduler(ctx: Context): ScheduledTask {
  return cron.schedule('*/5 * * * *', () => runDueJobs(ctx).then(() => undefined), {
    name: 'nadipass-business-day-jobs',
    noOverlap: true,
  });
}
