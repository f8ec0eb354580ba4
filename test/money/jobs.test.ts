import { registerBuiltInJobs } from '../../src/jobs';
import { expireVouchers } from '../../src/jobs/expire-vouchers';
import { lapseMemberships } from '../../src/jobs/lapse-memberships';
import { Job, runDueJobs, runJobForSlot } from '../../src/jobs/runner';
import { VoucherRow } from '../../src/vouchers/repository';
import { issueVoucher, voucherStatus } from '../../src/vouchers/service';
import { runCli } from '../support/cli';
import { buildOffer } from '../support/offers';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

describe('the job runner', () => {
  it('runs a job once per business date, whatever the number of instances calling it at once', async () => {
    let runs = 0;
    const counting: Job = {
      name: 'count-runs',
      async run() {
        runs += 1;

        return 'counted';
      },
    };

    const results = await Promise.all(
      Array.from({ length: 8 }, () => runJobForSlot(runtime.ctx, counting, '2026-12-03')),
    );

    expect(runs).toBe(1);
    expect(results.filter((result) => result.ran)).toHaveLength(1);
    expect(results.filter((result) => !result.ran)).toHaveLength(7);
    const row = await runtime.ctx
      .db('job_runs')
      .where({ job: 'count-runs', slot: '2026-12-03' })
      .first();
    expect(row.outcome).toBe('counted');
    expect(row.finished_at).not.toBeNull();

    await runJobForSlot(runtime.ctx, counting, '2026-12-04');
    expect(runs).toBe(2);
  });

  it('lets the next tick retry a run that failed', async () => {
    let attempts = 0;
    const flaky: Job = {
      name: 'flaky',
      async run() {
        attempts += 1;
        if (attempts === 1) {
          throw new Error('database went away');
        }

        return 'done';
      },
    };

    await expect(runJobForSlot(runtime.ctx, flaky, '2026-12-03')).rejects.toThrow(
      'database went away',
    );
    expect(await runtime.ctx.db('job_runs').where({ job: 'flaky' })).toHaveLength(0);
    await expect(runJobForSlot(runtime.ctx, flaky, '2026-12-03')).resolves.toMatchObject({
      ran: true,
    });
  });

  it("takes the slot from Morocco's business date: 23:30Z on 31 December 2026 is still the 31st", async () => {
    registerBuiltInJobs();
    const results = await runDueJobs(runtime.ctx, new Date('2026-12-31T23:30:00Z'));
    expect(results.map((result) => result.slot)).toEqual(['2026-12-31', '2026-12-31']);

    // 22:30Z on 30 June is 23:30 in Casablanca (UTC+01): still 30 June.
    const summer = await runDueJobs(runtime.ctx, new Date('2026-06-30T22:30:00Z'));
    expect(summer.map((result) => result.slot)).toEqual(['2026-06-30', '2026-06-30']);
    const next = await runDueJobs(runtime.ctx, new Date('2026-06-30T23:00:30Z'));
    expect(next.map((result) => result.slot)).toEqual(['2026-07-01', '2026-07-01']);

    // Those slots are used again below, with data made for them.
    await runtime.ctx
      .db('job_runs')
      .whereIn('job', ['expire-vouchers', 'lapse-memberships'])
      .delete();
  });
});

describe('expire vouchers', () => {
  it('marks unused vouchers past their last day as expired, once per business date', async () => {
    const offer = await buildOffer(runtime.ctx.db, {
      voucher_required: true,
      voucher_valid_days: 10,
    });
    const issuedOn = new Date('2026-06-20T10:00:00Z');
    const unused = await issueVoucher(runtime.ctx, {
      memberNumber: '100001',
      offerId: offer.id,
      now: issuedOn,
    });
    const used = await issueVoucher(runtime.ctx, {
      memberNumber: '100001',
      offerId: offer.id,
      now: issuedOn,
    });
    await runtime.ctx.db('vouchers').where({ id: used.voucher.id }).update({ uses: 1 });
    expect(unused.voucher.expires_on).toBe('2026-06-30');

    await runJobForSlot(runtime.ctx, expireVouchers, '2026-06-30');
    const stillValid: VoucherRow = await runtime.ctx
      .db('vouchers')
      .where({ id: unused.voucher.id })
      .first();
    expect(stillValid.expired_at).toBeNull();
    expect(voucherStatus(stillValid, '2026-06-30')).toBe('issued');

    const result = await runJobForSlot(runtime.ctx, expireVouchers, '2026-07-01');
    expect(result).toMatchObject({ ran: true });
    const expired: VoucherRow = await runtime.ctx
      .db('vouchers')
      .where({ id: unused.voucher.id })
      .first();
    // The start of 1 July in Casablanca (UTC+01) is 23:00Z on 30 June.
    expect(new Date(expired.expired_at!).toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(voucherStatus(expired, '2026-07-01')).toBe('expired');
    const usedRow: VoucherRow = await runtime.ctx
      .db('vouchers')
      .where({ id: used.voucher.id })
      .first();
    expect(usedRow.expired_at).toBeNull();
    expect(voucherStatus(usedRow, '2026-07-01')).toBe('used');

    expect(await runJobForSlot(runtime.ctx, expireVouchers, '2026-07-01')).toEqual({
      ran: false,
      slot: '2026-07-01',
      reason: 'already_ran',
    });
  });
});

describe('lapse memberships', () => {
  it('lapses active members with no paid period on the date, with an audit entry', async () => {
    const member = await runtime.ctx.db('members').where({ number: '100004' }).first();
    await runtime.ctx.db('membership_periods').where({ member_id: member.id }).delete();
    await runtime.ctx.db('membership_periods').insert({
      member_id: member.id,
      valid_from: '2026-01-01',
      valid_to: '2026-06-30',
    });

    await runJobForSlot(runtime.ctx, lapseMemberships, '2026-06-30');
    expect((await runtime.ctx.db('members').where({ id: member.id }).first()).status).toBe(
      'active',
    );

    const result = await runJobForSlot(
      runtime.ctx,
      lapseMemberships,
      '2026-07-01',
      new Date('2026-06-30T23:05:00Z'),
    );
    expect(result).toMatchObject({ ran: true });
    expect((await runtime.ctx.db('members').where({ id: member.id }).first()).status).toBe(
      'lapsed',
    );
    const audit = await runtime.ctx
      .db('audit_log')
      .where({ entity: 'member', entity_id: String(member.id) });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'job:lapse-memberships', action: 'member.lapse' });
    // The suspended demo member is left as the club set it.
    expect((await runtime.ctx.db('members').where({ number: '100006' }).first()).status).toBe(
      'suspended',
    );
  });

  it('runs from the command line for a given date, once', async () => {
    const env = { DATABASE_URL: runtime.url };
    const first = await runCli(['jobs:run', 'expire-vouchers', '--date', '2027-03-01'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^expire-vouchers 2027-03-01: \d+ voucher\(s\) expired\n$/);

    const second = await runCli(['jobs:run', 'expire-vouchers', '--date', '2027-03-01'], env);
    expect(second.stdout).toBe('expire-vouchers 2027-03-01: already ran for this business date\n');

    const unknown = await runCli(['jobs:run', 'wash-the-car'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('expire-vouchers, lapse-memberships');
  }, 120_000);
});
