import { issueCard } from '../../src/cards/service';
import { runRollupSlot } from '../../src/reports/rollup-job';
import { createTestRuntime, TestRuntime } from '../support/runtime';
import { insertRandomRedemptions, seededRandom } from '../support/redemptions';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
  await issueCard(runtime.ctx, { memberNumber: '100001', now: new Date('2026-12-03T12:00:00Z') });
});

afterAll(() => runtime.close());

describe('the scheduled roll-up', () => {
  it('runs once per five-minute slot, whichever instance asks first, and folds every row in', async () => {
    const db = runtime.ctx.db;
    await insertRandomRedemptions(db, { count: 120, year: 2026, random: seededRandom(3) });
    const at = new Date('2026-12-03T12:01:00Z');
    const [first, second] = await Promise.all([runRollupSlot(db, at), runRollupSlot(db, new Date('2026-12-03T12:04:59Z'))]);
    expect([first, second].sort()).toEqual([false, true]);

    const state = await db('rollup_state').first();
    const max = await db('redemptions').max('id as id').first();
    expect(state.rolled_up_to_id).toBe(max!.id);
    const run = await db('job_runs').where({ job: 'report-rollup' });
    expect(run).toHaveLength(1);
    expect(run[0].outcome).toMatch(/^1\d\d rows$/);
    const daily = await db('redemption_daily').sum('redemptions as n').first();
    const ledger = await db.raw(`select sum(case kind when 'void' then -1 else 1 end) as n from redemptions`);
    expect(Number(daily!.n)).toBe(Number(ledger.rows[0].n));

    expect(await runRollupSlot(db, new Date('2026-12-03T12:05:00Z'))).toBe(true);
  });
});
