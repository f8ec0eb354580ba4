/**
 * `npm run bench:data`: loads the benchmark's data set into the benchmark database (see
 * bench/database.ts) with set-based SQL: members with cards, partners with agreements and
 * offers across the 12 regions, and 10 million redemptions over the 24 months before today,
 * skewed by each region's population, with a few voids.
 *
 * Idempotent and resumable: every step records itself in `bench_data_steps` in the transaction
 * that does the work, so a second run skips what is there and an interrupted run picks up at
 * the step it was in.
 */
import { performance } from 'node:perf_hooks';

import { hashPassword } from '../src/auth/passwords';
import { KeyStore } from '../src/credentials/keys';
import { Db, migrateLatest, Tx } from '../src/db';
import { rollUpRedemptions } from '../src/reports/rollups';
import { businessDate, endOfBusinessDay } from '../src/time';
import { openBenchDatabase } from './database';
import { BENCH_COUNTER, BENCH_SIZES } from './fixtures';

interface Step {
  name: string;
  run(tx: Tx): Promise<number>;
}

async function ensureBookkeeping(db: Db): Promise<void> {
  await db.raw(`
    create table if not exists bench_data_steps (
      step text primary key,
      rows bigint not null,
      seconds numeric not null,
      done_at timestamptz not null default now())`);
  // Indexes set aside while the redemptions load; put back by the last step (or the next run).
  await db.raw(`
    create table if not exists bench_saved_indexes (name text primary key, definition text not null)`);
}

async function stepDone(db: Db, name: string): Promise<boolean> {
  const row = await db('bench_data_steps').where({ step: name }).first('step');

  return row !== undefined;
}

/** Region shares by 2024 population, and how many members and partners each one gets. */
async function loadRegions(tx: Tx): Promise<number> {
  await tx.raw(`
    create table bench_regions (
      code text primary key, cum_lo float8 not null, cum_hi float8 not null,
      members int not null, partners int not null, provinces text[] not null)`);
  const { rowCount } = await tx.raw(
    `insert into bench_regions (code, cum_lo, cum_hi, members, partners, provinces)
     select g.code,
            coalesce(sum(g.population_2024) over (order by g.code rows between unbounded
              preceding and 1 preceding), 0)::float8 / sum(g.population_2024) over (),
            sum(g.population_2024) over (order by g.code)::float8
              / sum(g.population_2024) over (),
            greatest(500, round(? * g.population_2024::float8 / sum(g.population_2024) over ())),
            greatest(12, round(? * g.population_2024::float8 / sum(g.population_2024) over ())),
            (select array_agg(p.code order by p.code) from provinces p where p.region_code = g.code)
       from regions g`,
    [BENCH_SIZES.members, BENCH_SIZES.partners],
  );

  return rowCount;
}

const FIRST_NAMES = [
  ['Ahmed', 'أحمد'], ['Fatima', 'فاطمة'], ['Mohamed', 'محمد'], ['Khadija', 'خديجة'],
  ['Youssef', 'يوسف'], ['Aicha', 'عائشة'], ['Omar', 'عمر'], ['Salma', 'سلمى'],
  ['Hassan', 'حسن'], ['Naima', 'نعيمة'], ['Rachid', 'رشيد'], ['Zineb', 'زينب'],
  ['Brahim', 'إبراهيم'], ['Hanane', 'حنان'], ['Said', 'سعيد'], ['Meryem', 'مريم'],
];
const LAST_NAMES = [
  ['Bennani', 'بناني'], ['El Idrissi', 'الإدريسي'], ['Ouali', 'الوالي'], ['Tazi', 'التازي'],
  ['Alaoui', 'العلوي'], ['Berrada', 'برادة'], ['Chraibi', 'الشرايبي'], ['Amrani', 'العمراني'],
  ['Lahlou', 'لحلو'], ['Ait Baha', 'آيت باها'], ['Ziani', 'الزياني'], ['Fassi', 'الفاسي'],
  ['Naciri', 'الناصري'], ['Sebti', 'السبتي'], ['Kettani', 'الكتاني'], ['Benjelloun', 'بنجلون'],
];

/**
 * Members in region blocks (status mostly active, some lapsed or suspended), one paid period
 * each, and one card each signed under the active key. `bench_members` maps (region, index)
 * to the member and card, which is how the redemptions pick their holders.
 */
function loadMembers(kid: string, today: string) {
  return async (tx: Tx): Promise<number> => {
    const year = Number(today.slice(0, 4));
    const validTo = `${year + 1}-12-31`;
    await tx.raw(`
      create table bench_members (
        region_code text not null, idx int not null, n int not null unique,
        member_id bigint, card_id text, primary key (region_code, idx))`);
    await tx.raw(`
      insert into bench_members (region_code, idx, n)
      select r.code, i, row_number() over (order by r.code, i)
        from bench_regions r, generate_series(0, r.members - 1) i`);
    // NOTE: names come from two small lists, chosen by member number, so the data reads like
    // the club's and compresses like it.
    await tx.raw(
      `insert into members (number, cin, first_name, last_name, full_name_ar, employer,
         work_province_code, residence_province_code, status)
       select (500000 + b.n)::text, 'BX' || b.n,
              (?::text[])[1 + b.n % ?], (?::text[])[1 + (b.n / 16) % ?],
              (?::text[])[1 + b.n % ?] || ' ' || (?::text[])[1 + (b.n / 16) % ?],
              'Administration publique',
              r.provinces[1 + (b.idx * 7 % cardinality(r.provinces))],
              r.provinces[1 + (b.idx * 11 % cardinality(r.provinces))],
              case when b.n % 50 = 0 then 'lapsed' when b.n % 97 = 0 then 'suspended'
                   else 'active' end
         from bench_members b
         join bench_regions r on r.code = b.region_code`,
      [
        FIRST_NAMES.map(([latin]) => latin), FIRST_NAMES.length,
        LAST_NAMES.map(([latin]) => latin), LAST_NAMES.length,
        FIRST_NAMES.map(([, arabic]) => arabic), FIRST_NAMES.length,
        LAST_NAMES.map(([, arabic]) => arabic), LAST_NAMES.length,
      ],
    );
    await tx.raw(`
      update bench_members b set member_id = m.id, card_id = 'bench' || lpad(b.n::text, 8, '0')
        from members m where m.number = (500000 + b.n)::text`);
    await tx.raw(
      `insert into membership_periods (member_id, valid_from, valid_to)
       select m.id, ?::date,
              case when m.status = 'lapsed' then ?::date else ?::date end
         from bench_members b join members m on m.id = b.member_id`,
      [`${year - 2}-01-01`, `${year - 1}-12-31`, validTo],
    );
    const { rowCount } = await tx.raw(
      `insert into cards (id, member_id, holder_key, kid, issued_at, expires_at)
       select b.card_id, b.member_id, 'M' || b.member_id, ?,
              ?::timestamptz, case when m.status = 'lapsed' then ?::timestamptz else ? end
         from bench_members b join members m on m.id = b.member_id`,
      [
        kid,
        endOfBusinessDay(`${year - 2}-01-01`),
        endOfBusinessDay(`${year - 1}-12-31`),
        endOfBusinessDay(validTo),
      ],
    );

    return rowCount;
  };
}

const CATEGORIES = ['pharmacy', 'clinic', 'doctor', 'laboratory', 'optician', 'hotel', 'transport', 'sports', 'shop'];

/**
 * Partners in region blocks, each with a current agreement and one card offer (5 to 25 %,
 * a mix of province, region and national scopes). `bench_partners` maps (region, index) to
 * the partner, its offer and its discount.
 */
function loadPartners(today: string) {
  return async (tx: Tx): Promise<number> => {
    const year = Number(today.slice(0, 4));
    await tx.raw(`
      create table bench_partners (
        region_code text not null, idx int not null, code text not null unique,
        province_code text not null, percent int not null,
        partner_id bigint, offer_id bigint, primary key (region_code, idx))`);
    await tx.raw(`
      insert into bench_partners (region_code, idx, code, province_code, percent)
      select r.code, i, 'BX-' || r.code || '-' || lpad(i::text, 4, '0'),
             r.provinces[1 + (i * 5 % cardinality(r.provinces))], 5 * (1 + i % 5)
        from bench_regions r, generate_series(0, r.partners - 1) i`);
    await tx.raw(
      `insert into partners (code, legal_name, display_name, display_name_ar, category,
         province_code, address, phone)
       select b.code, 'Partenaire ' || b.code || ' SARL', 'Partenaire ' || b.code,
              'شريك ' || b.code, (?::text[])[1 + b.idx % ?], b.province_code,
              'Avenue Mohammed V', '+212522000000'
         from bench_partners b`,
      [CATEGORIES, CATEGORIES.length],
    );
    await tx.raw(`
      update bench_partners b set partner_id = p.id from partners p where p.code = b.code`);
    await tx.raw(
      `insert into agreements (partner_id, reference, starts_on, ends_on)
       select partner_id, 'CONV-BENCH-' || code, ?::date, ?::date from bench_partners`,
      [`${year - 3}-01-01`, `${year + 2}-12-31`],
    );
    await tx.raw(
      `insert into offers (partner_id, title_fr, title_ar, category, benefit_kind,
         benefit_value, scope, valid_from, voucher_required, limit_count, limit_period)
       select b.partner_id, b.percent || ' % sur présentation de la carte',
              'تخفيض ' || b.percent || '٪ عند تقديم البطاقة', 'general', 'percent', b.percent,
              (array['province', 'region', 'national'])[1 + b.idx % 3]::text, ?::date, false,
              4, 'month'
         from bench_partners b`,
      [`${year - 3}-01-01`],
    );
    const { rowCount } = await tx.raw(`
      update bench_partners b set offer_id = o.id from offers o where o.partner_id = b.partner_id`);

    return rowCount;
  };
}

/**
 * The partner the load tests act as: a Casablanca pharmacy with a national card offer
 * (10 %, 30 uses a month) and a national voucher offer, a current agreement and a portal login.
 */
function loadCounter(today: string) {
  return async (tx: Tx): Promise<number> => {
    const year = Number(today.slice(0, 4));
    const [partner] = await tx('partners')
      .insert({
        code: BENCH_COUNTER.partnerCode,
        legal_name: 'Pharmacie Banc d’essai SARL',
        display_name: 'Pharmacie Banc d’essai',
        display_name_ar: 'صيدلية الاختبار',
        category: 'pharmacy',
        province_code: '06.141',
        address: 'Boulevard Zerktouni, Casablanca',
        phone: '+212522000001',
      })
      .returning('id');
    await tx('agreements').insert({
      partner_id: partner.id,
      reference: `CONV-BENCH-${BENCH_COUNTER.partnerCode}`,
      starts_on: `${year - 1}-01-01`,
      ends_on: `${year + 2}-12-31`,
    });
    const common = {
      partner_id: partner.id,
      category: 'medicines',
      scope: 'national',
      valid_from: `${year - 1}-01-01`,
    };
    await tx('offers').insert([
      {
        ...common,
        title_fr: '10 % sur la parapharmacie',
        title_ar: 'تخفيض 10٪ على منتجات شبه الصيدلة',
        benefit_kind: 'percent',
        benefit_value: 10,
        voucher_required: false,
        limit_count: 30,
        limit_period: 'month',
      },
      {
        ...common,
        title_fr: 'Test de glycémie offert',
        title_ar: 'فحص نسبة السكر في الدم مجانا',
        benefit_kind: 'free',
        benefit_value: 0,
        voucher_required: true,
      },
    ]);
    await tx('partner_users').insert({
      partner_id: partner.id,
      email: BENCH_COUNTER.email,
      name: 'Comptoir',
      role: 'staff',
      password_hash: await hashPassword(BENCH_COUNTER.password),
    });

    return 1;
  };
}

/** Sets the redemptions' secondary indexes aside so that the bulk load does not maintain them. */
async function setIndexesAside(tx: Tx): Promise<number> {
  const { rows } = await tx.raw(`
    select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i
      join pg_class c on c.oid = i.indexrelid
     where i.indrelid = 'redemptions'::regclass
       and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`);
  for (const row of rows as { name: string; definition: string }[]) {
    await tx('bench_saved_indexes').insert(row).onConflict('name').ignore();
    await tx.raw(`drop index if exists "${row.name}"`);
  }

  return rows.length;
}

/** Puts back every index set aside, from its saved definition. */
async function restoreIndexes(tx: Tx): Promise<number> {
  await tx.raw("set local maintenance_work_mem = '512MB'");
  const saved: { name: string; definition: string }[] = await tx('bench_saved_indexes').select();
  for (const { name, definition } of saved) {
    const { rows } = await tx.raw('select 1 from pg_class where relname = ?', [name]);
    if (rows.length === 0) {
      await tx.raw(definition);
    }
  }
  await tx('bench_saved_indexes').delete();

  return saved.length;
}

/**
 * One million redemptions (numbers `first` to `last`): a region drawn by population share, a
 * partner and a member drawn in that region, a day in the 24 months before `today`, a time
 * between 09:00 and 20:00 UTC (the same business day whether Morocco is on UTC+00 or +01),
 * an amount skewed towards small sums; every 250th one voided ten minutes later.
 */
function loadRedemptions(chunk: number, first: number, last: number, today: string) {
  return async (tx: Tx): Promise<number> => {
    // Triggers (foreign keys, the append-only guard) are not needed for rows built from the
    // tables above; the closing check counts orphans once instead of 10 million lookups.
    await tx.raw('set local session_replication_role = replica');
    await tx.raw('set local synchronous_commit = off');
    await tx.raw('select setseed(?)', [(chunk + 1) / 100]);
    const { rowCount } = await tx.raw(
      `with draws as (
         select g, random() as rr, random() as rp, random() as rm, random() as rd,
                random() as rt, random() as ra, random() as rc
           from generate_series(?::bigint, ?::bigint) g
       ), placed as (
         select d.*, r.code as region_code, r.partners, r.members,
                (?::date - floor(d.rd * 730)::int) as day
           from draws d
           join bench_regions r on d.rr >= r.cum_lo and d.rr < r.cum_hi
       ), inserted as (
         insert into redemptions (reference, kind, partner_id, offer_id, card_id, member_id,
           holder_key, province_code, region_code, gross_cents, discount_cents, occurred_at,
           business_date, period_key, idempotency_key, channel, online)
         select 'B' || p.g, 'redeem', bp.partner_id, bp.offer_id, bm.card_id, bm.member_id,
                'M' || bm.member_id, bp.province_code, p.region_code,
                2000 + floor(p.ra ^ 3 * 300000)::bigint,
                (2000 + floor(p.ra ^ 3 * 300000)::bigint) * bp.percent / 100,
                (p.day + make_interval(secs => 32400 + floor(p.rt * 39600))) at time zone 'UTC',
                p.day, 'M' || to_char(p.day, 'YYYY-MM'), 'bench-' || p.g,
                (case when p.rc < 0.7 then 'portal' else 'api' end)::text, true
           from placed p
           join bench_partners bp
             on bp.region_code = p.region_code and bp.idx = floor(p.rp * p.partners)::int
           join bench_members bm
             on bm.region_code = p.region_code and bm.idx = floor(p.rm * p.members)::int
         returning *
       )
       insert into redemptions (reference, kind, voids_redemption_id, void_reason, partner_id,
         offer_id, card_id, member_id, holder_key, province_code, region_code, gross_cents,
         discount_cents, occurred_at, business_date, channel, online)
       select 'BV' || i.id, 'void', i.id, 'erreur de saisie', i.partner_id, i.offer_id,
              i.card_id, i.member_id, i.holder_key, i.province_code, i.region_code,
              i.gross_cents, i.discount_cents, i.occurred_at + interval '10 minutes',
              i.business_date, i.channel, true
         from inserted i
        where i.id % 250 = 0`,
      [first, last, today],
    );

    return rowCount + (last - first + 1);
  };
}

/** Every redemption names rows that exist: the check the switched-off foreign keys would make. */
async function checkAndAnalyse(tx: Tx): Promise<number> {
  const { rows } = await tx.raw(`
    select count(*) filter (where p.id is null) as partners,
           count(*) filter (where o.id is null) as offers,
           count(*) filter (where m.id is null) as members,
           count(*) filter (where c.id is null) as cards
      from redemptions r
      left join partners p on p.id = r.partner_id
      left join offers o on o.id = r.offer_id
      left join members m on m.id = r.member_id
      left join cards c on c.id = r.card_id
     where r.reference like 'B%'`);
  const orphans = rows[0];
  if (Object.values(orphans).some((count) => Number(count) > 0)) {
    throw new Error(`Redemptions naming missing rows: ${JSON.stringify(orphans)}`);
  }
  await tx.raw('analyze');
  const { rows: counted } = await tx.raw('select count(*)::bigint as n from redemptions');

  return Number(counted[0].n);
}

async function main(): Promise<void> {
  const started = performance.now();
  const bench = await openBenchDatabase();
  const { db } = bench;
  try {
    process.stdout.write(`Benchmark database: ${bench.kind === 'server' ? bench.url : 'embedded'}\n`);
    await migrateLatest(db);
    const keys = new KeyStore(db);
    await keys.init();
    await ensureBookkeeping(db);

    const today = businessDate(new Date());
    const chunks = Math.ceil(BENCH_SIZES.redemptions / BENCH_SIZES.chunk);
    const steps: Step[] = [
      { name: 'regions', run: loadRegions },
      { name: 'members', run: loadMembers(keys.signingKey().kid, today) },
      { name: 'partners', run: loadPartners(today) },
      { name: 'counter', run: loadCounter(today) },
      { name: 'indexes-aside', run: setIndexesAside },
    ];
    for (let chunk = 0; chunk < chunks; chunk++) {
      const first = chunk * BENCH_SIZES.chunk + 1;
      const last = Math.min(BENCH_SIZES.redemptions, (chunk + 1) * BENCH_SIZES.chunk);
      const name = `redemptions-${String(chunk).padStart(3, '0')}`;
      steps.push({ name, run: loadRedemptions(chunk, first, last, today) });
    }
    steps.push({ name: 'indexes-back', run: restoreIndexes });
    steps.push({ name: 'check-analyse', run: checkAndAnalyse });
    // What the roll-up job does: the daily and monthly totals the reports read.
    steps.push({ name: 'rollup', run: async () => (await rollUpRedemptions(db)).rows });

    let ran = 0;
    for (const step of steps) {
      if (await stepDone(db, step.name)) {
        continue;
      }

      const t0 = performance.now();
      const rows = await db.transaction(async (tx) => {
        const count = await step.run(tx);
        const seconds = (performance.now() - t0) / 1000;
        await tx('bench_data_steps').insert({ step: step.name, rows: count, seconds });

        return count;
      });
      ran++;
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      process.stdout.write(`  ${step.name.padEnd(18)} ${String(rows).padStart(10)} rows  ${seconds} s\n`);
    }

    const total = ((performance.now() - started) / 1000).toFixed(1);
    if (ran === 0) {
      const { rows } = await db.raw('select sum(seconds)::float8 as s from bench_data_steps');
      process.stdout.write(
        `Bench data already there (loaded in ${Number(rows[0].s).toFixed(1)} s); checked in ${total} s.\n`,
      );
    } else {
      process.stdout.write(`Bench data ready in ${total} s.\n`);
    }
  } finally {
    await bench.close();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:data failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
