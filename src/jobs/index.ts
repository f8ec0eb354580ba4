import { expireVouchers } from './expire-vouchers';
import { lapseMemberships } from './lapse-memberships';
import { findJob, registerJob } from './runner';

/** Registers the jobs of the money path (once, however often it is called). */
export function registerBuiltInJobs(): void {
  for (const job of [expireVouchers, lapseMemberships]) {
    if (!findJob(job.name)) {
      registerJob(job);
    }
  }
}
