import { issueCard } from '../../src/cards/service';
import { drillReport, monthlyTrend } from '../../src/reports/drill';
import { fairnessReport } from '../../src/reports/fairness';
import { DateRange } from '../../src/reports/ledger';
import { regionReport } from '../../src/reports/regions';
import { rollUpRedemptions } from '../../src/reports/rollups';
import { createTestRuntime, TestRuntime } from '../support/runtime';
import { insertRandomRedemptions, seededRandom, voidRedemptions } from '../support/redemptions';

let runtime: TestRuntime;

const NOW = new Date('2026-12-03T12:00:00Z');

beforeAll(async () => {
  runtime = await createTestRuntime();
  await issueCard(runtime.ctx, { memberNumber: '100001', now: NOW });
  const random = seededRandom(20261203);
  // Half the ledger is rolled up, then more rows and voids of rolled-up rows arrive after it:
  // every report must combine the totals and the rows not yet rolled up.
  const first = await insertRandomRedemptions(runtime.ctx.db, { count: 1500, year: 2026, random });
  await rollUpRedemptions(runtime.ctx.db, NOW);
  await insertRandomRedemptions(runtime.ctx.db, { count: 900, year: 2026, random });
  await voidRedemptions(runtime.ctx.db, first.redeemIds.filter((_, index) => index % 11 === 5 && index % 7 !== 3));
});

afterAll(() => runtime.close());

interface Expected {
  key: string;
  redemptions: number;
  grossCents: number;
  discountCents: number;
  holders: number;
}

/** The plain answer: sums over the ledger itself, a void counting against its day. */
async function ledgerSums(range: DateRange, groupBy: string, where = 'true'): Promise<Expected[]> {
  const { rows } = await runtime.ctx.db.raw(
    `select ${groupBy}::text as key,
            sum(case r.kind when 'void' then -1 else 1 end) as redemptions,
            sum(case r.kind when 'void' then -r.gross_cents else r.gross_cents end) as gross,
            sum(case r.kind when 'void' then -r.discount_cents else r.discount_cents end) as discount,
            count(distinct r.holder_key) filter (where r.kind = 'redeem' and not exists
              (select 1 from redemptions v where v.voids_redemption_id = r.id)) as holders
       from redemptions r join offers o on o.id = r.offer_id
      where r.business_date between ? and ? and ${where}
      group by 1 order by 1`,
    [range.from, range.to],
  );

  return rows.map((row: Record<string, string>) => ({
    key: row.key,
    redemptions: Number(row.redemptions),
    grossCents: Number(row.gross),
    discountCents: Number(row.discount),
    holders: Number(row.holders),
  }));
}

function active(rows: Expected[]): Expected[] {
  return rows
    .filter((row) => row.redemptions !== 0 || row.grossCents !== 0 || row.holders !== 0)
    .map(({ key, redemptions, grossCents, discountCents, holders }) => ({
      key, redemptions, grossCents, discountCents, holders,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

const RANGES: DateRange[] = [
  { from: '2026-01-01', to: '2026-12-31' },
  { from: '2026-02-15', to: '2026-11-10' },
  { from: '2026-03-01', to: '2026-03-31' },
  { from: '2026-07-09', to: '2026-07-20' },
];

describe('reports over random redemptions with voids, half rolled up', () => {
  it('has data on both sides of the roll-up watermark, voids included', async () => {
    const state = await runtime.ctx.db('rollup_state').first();
    const after = await runtime.ctx.db('redemptions').where('id', '>', state.rolled_up_to_id).count();
    const voids = await runtime.ctx.db('redemptions').where({ kind: 'void' }).count();
    expect(Number(state.rolled_up_to_id)).toBeGreaterThan(0);
    expect(Number(after[0].count)).toBeGreaterThan(900);
    expect(Number(voids[0].count)).toBeGreaterThan(300);
  });

  it.each(RANGES)('gives each region, and the total, the ledger sums for %o', async (range) => {
    const report = await drillReport(runtime.ctx.db, { range, filter: {}, scope: null });
    expect(report.level).toBe('region');
    expect(report.rows).toHaveLength(12);
    expect(active(report.rows)).toEqual(await ledgerSums(range, 'r.region_code'));
    const [total] = await ledgerSums(range, `'all'`);
    expect(report.total).toEqual({
      redemptions: total.redemptions,
      grossCents: total.grossCents,
      discountCents: total.discountCents,
      holders: total.holders,
    });

  });

  it.each(RANGES)('gives the region report (CSV and CLI) the ledger sums for %o', async (range) => {
    const regions = await regionReport(runtime.ctx.db, range);
    expect(regions).toHaveLength(12);
    const counted = regions
      .filter((row) => row.redemptions !== 0 || row.grossCents !== 0)
      .map((row) => ({
        key: row.code,
        redemptions: row.redemptions,
        grossCents: row.grossCents,
        discountCents: row.discountCents,
      }));
    const expected = (await ledgerSums(range, 'r.region_code')).map(
      ({ key, redemptions, grossCents, discountCents }) => ({
        key, redemptions, grossCents, discountCents,
      }),
    );
    expect(counted).toEqual(expected);
  });

  it.each(RANGES)('drills region, province and partner down to categories for %o', async (range) => {
    const db = runtime.ctx.db;
    const regions = await ledgerSums(range, 'r.region_code');
    for (const region of regions) {
      const provinces = await drillReport(db, { range, filter: { region: region.key }, scope: null });
      expect(provinces.level).toBe('province');
      expect(active(provinces.rows)).toEqual(
        await ledgerSums(range, 'r.province_code', `r.region_code = '${region.key}'`),
      );
      expect(provinces.total.discountCents).toBe(region.discountCents);

      for (const province of active(provinces.rows)) {
        const filter = { region: region.key, province: province.key };
        const partners = await drillReport(db, { range, filter, scope: null });
        expect(partners.level).toBe('partner');
        expect(active(partners.rows)).toEqual(
          await ledgerSums(range, 'r.partner_id', `r.province_code = '${province.key}'`),
        );

        for (const partner of active(partners.rows)) {
          const categories = await drillReport(db, {
            range,
            filter: { ...filter, partnerId: Number(partner.key) },
            scope: null,
          });
          expect(categories.level).toBe('category');
          expect(active(categories.rows)).toEqual(
            await ledgerSums(range, 'o.category', `r.partner_id = ${Number(partner.key)}`),
          );
        }
      }
    }
  });

  it.each(RANGES)('gives each month the ledger sums for %o', async (range) => {
    const trend = await monthlyTrend(runtime.ctx.db, { range, filter: {}, scope: null });
    const expected = await ledgerSums(range, `to_char(r.business_date, 'YYYY-MM')`);
    expect(active(trend.map((point) => ({ ...point, key: point.month })))).toEqual(expected);
    expect(trend[0].month).toBe(range.from.slice(0, 7));
    expect(trend[trend.length - 1].month).toBe(range.to.slice(0, 7));
  });

  it('gives the same answers once everything is rolled up, and a second roll-up adds nothing', async () => {
    const range = RANGES[1];
    const before = await drillReport(runtime.ctx.db, { range, filter: {}, scope: null });
    const regionsBefore = await regionReport(runtime.ctx.db, range);
    const run = await rollUpRedemptions(runtime.ctx.db, NOW);
    expect(run.rows).toBeGreaterThan(900);
    const again = await rollUpRedemptions(runtime.ctx.db, NOW);
    expect(again.rows).toBe(0);
    const after = await drillReport(runtime.ctx.db, { range, filter: {}, scope: null });
    expect(after).toEqual(before);
    expect(await regionReport(runtime.ctx.db, range)).toEqual(regionsBefore);
  });

  it('sets each region\'s savings against its members, with national shares', async () => {
    const range = RANGES[0];
    const rows = await fairnessReport(runtime.ctx.db, { range, scope: null });
    const sums = new Map((await ledgerSums(range, 'r.region_code')).map((row) => [row.key, row]));
    const guelmim = rows.find((row) => row.code === '10')!;
    // Demo members in good standing on 31/12 working in Guelmim-Oued Noun: 100001 (100006 is
    // suspended).
    expect(guelmim.members).toBe(1);
    expect(guelmim.discountCents).toBe(sums.get('10')!.discountCents);
    expect(guelmim.redemptionsPer1000Members).toBe(sums.get('10')!.redemptions * 1000);
    const totalSavings = [...sums.values()].reduce((sum, row) => sum + row.discountCents, 0);
    expect(guelmim.shareOfSavings).toBeCloseTo((sums.get('10')!.discountCents * 100) / totalSavings, 2);
    expect(rows.reduce((sum, row) => sum + (row.shareOfMembers ?? 0), 0)).toBeCloseTo(100, 1);

    const scoped = await fairnessReport(runtime.ctx.db, { range, scope: ['10'] });
    expect(scoped.map((row) => row.code)).toEqual(['10']);
    expect(scoped[0]).toEqual(guelmim);
  });
});
