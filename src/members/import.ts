import { recordAudit } from '../audit/log';
import { Db, Tx } from '../db';
import { logger } from '../logger';
import { businessDate } from '../time';
import { MemberRow } from './repository';
import {
  BilingualMessage,
  ColumnMapping,
  parseRoster,
  RosterColumn,
  RosterProblem,
  RosterRow,
} from './roster';

/** A problem only the database can see: the file is fine, but does not fit what is stored. */
export interface ImportProblem {
  rowNumber: number | null;
  code: RosterProblem['code'] | 'identity_conflict' | 'period_overlap' | 'period_incomplete';
  value?: string;
  column?: string;
  message: BilingualMessage;
  /** What a file reader said, in English: logged, never shown. */
  detail?: string;
}

/** What an import did, or would do on a dry run. */
export interface ImportOutcome {
  columns: RosterColumn[];
  problems: ImportProblem[];
  created: number;
  updated: number;
  unchanged: number;
  periodsAdded: number;
  /** True when members were written: never on a dry run, never when any row has a problem. */
  applied: boolean;
}

export interface ImportOptions {
  filename: string;
  mapping?: ColumnMapping;
  dryRun: boolean;
  actor: string;
  now: Date;
}

type MemberFields = Omit<MemberRow, 'id' | 'status'>;

/** Thrown inside the transaction to undo a dry run or an import with problems. */
class RollBack extends Error {}

/**
 * Imports a roster file all or nothing: every row is checked against the file and against the
 * stored members first, and the members are written only when no row has a problem. A member
 * is found by membership number, else by CIN; a row that matches nothing is a new member. Only
 * what changed is written (and logged), so importing the same file again changes nothing.
 */
export async function importRoster(db: Db, file: Buffer, options: ImportOptions): Promise<ImportOutcome> {
  const parsed = await parseRoster(file, { filename: options.filename, mapping: options.mapping });
  const outcome: ImportOutcome = {
    columns: parsed.columns,
    problems: [...parsed.problems],
    created: 0,
    updated: 0,
    unchanged: 0,
    periodsAdded: 0,
    applied: false,
  };
  for (const { code, detail } of parsed.problems) {
    // The reader's own words locate a broken file for whoever supports the club.
    if (detail !== undefined) {
      logger.warn({ code, detail, filename: options.filename }, 'roster file unreadable');
    }
  }
  if (outcome.problems.length > 0 || parsed.rows.length === 0) {
    return outcome;
  }

  try {
    await db.transaction(async (tx) => {
      // One import at a time: two running together could both create the same new member.
      await tx.raw('select pg_advisory_xact_lock(hashtext(?))', ['nadipass:roster-import']);
      await applyRows(tx, parsed.rows, outcome, options);
      if (outcome.problems.length > 0 || options.dryRun) {
        throw new RollBack();
      }
      await recordAudit(tx, {
        actor: options.actor, action: 'import', entity: 'roster', entityId: options.filename,
        after: { created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged,
          periodsAdded: outcome.periodsAdded },
        at: options.now,
      });
    });
    outcome.applied = true;
  } catch (error) {
    if (!(error instanceof RollBack)) {
      throw error;
    }
  }

  return outcome;
}

function fieldsOf(row: RosterRow): Partial<MemberFields> {
  const fields: Partial<MemberFields> = {
    cin: row.cin,
    first_name: row.firstNameLatin,
    last_name: row.lastNameLatin,
    work_province_code: row.workProvinceCode,
  };
  // A column left empty or missing from the file keeps what is stored.
  const optional: [keyof MemberFields, string | undefined][] = [
    ['full_name_ar', row.fullNameArabic],
    ['birth_date', row.birthDate],
    ['phone', row.phone],
    ['email', row.email],
    ['employer', row.employer],
    ['residence_province_code', row.residenceProvinceCode],
  ];
  for (const [key, value] of optional) {
    if (value !== undefined && value !== '') {
      Object.assign(fields, { [key]: value });
    }
  }

  return fields;
}

function differences(stored: MemberRow, wanted: Partial<MemberFields>) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted)) {
    const current = stored[key as keyof MemberRow] ?? null;
    if (current !== value) {
      before[key] = current;
      after[key] = value;
    }
  }

  return Object.keys(after).length > 0 ? { before, after } : null;
}

const message = (row: RosterRow, fr: string, ar: string): BilingualMessage => ({
  fr: `Ligne ${row.rowNumber} : ${fr}`,
  ar: `السطر ${row.rowNumber}: ${ar}`,
});

async function applyRows(tx: Tx, rows: RosterRow[], outcome: ImportOutcome, options: ImportOptions) {
  const numbers = rows.flatMap((row) => (row.membershipNumber ? [row.membershipNumber] : []));
  const stored: MemberRow[] = await tx('members')
    .whereIn('cin', rows.map((row) => row.cin))
    .orWhereIn('number', numbers)
    .forUpdate();
  const byCin = new Map(stored.map((member) => [member.cin, member]));
  const byNumber = new Map(stored.map((member) => [member.number, member]));
  // Past every number in the file too, so a number given to a new member is never taken.
  let nextNumber = Math.max(
    await nextMembershipNumber(tx),
    ...numbers.filter((number) => /^\d{1,15}$/.test(number)).map((number) => Number(number) + 1),
  );
  const inserts: Record<string, unknown>[] = [];
  const periods: { row: RosterRow; memberNumber: string }[] = [];

  for (const row of rows) {
    const viaNumber = row.membershipNumber ? byNumber.get(row.membershipNumber) : undefined;
    const viaCin = byCin.get(row.cin);
    if (viaNumber && viaCin && viaNumber.id !== viaCin.id) {
      outcome.problems.push({
        rowNumber: row.rowNumber, code: 'identity_conflict', value: row.cin,
        message: message(row,
          `Le CIN ${row.cin} appartient à l'adhérent n° ${viaCin.number}, pas au n° ${viaNumber.number}.`,
          `رقم البطاقة الوطنية ${row.cin} يخص المنخرط رقم ${viaCin.number} ` +
            `وليس المنخرط رقم ${viaNumber.number}.`,
        ),
      });
      continue;
    }
    if ((row.validFrom === undefined) !== (row.validTo === undefined)) {
      outcome.problems.push({
        rowNumber: row.rowNumber, code: 'period_incomplete',
        message: message(row,
          "La période d'adhésion doit avoir une date de début et une date de fin.",
          'يجب أن تتضمن فترة الانخراط تاريخ البداية وتاريخ النهاية.',
        ),
      });
      continue;
    }

    const member = viaNumber ?? viaCin;
    const wanted = fieldsOf(row);
    if (!member) {
      const number = row.membershipNumber ?? String(nextNumber++);
      inserts.push({ ...wanted, number, status: 'active', created_at: options.now, updated_at: options.now });
      outcome.created += 1;
      periods.push({ row, memberNumber: number });
      continue;
    }

    const change = differences(member, wanted);
    if (change) {
      await tx('members').where({ id: member.id }).update({ ...change.after, updated_at: options.now });
      await recordAudit(tx, {
        actor: options.actor, action: 'update', entity: 'member', entityId: member.id,
        before: change.before, after: change.after, at: options.now,
      });
      outcome.updated += 1;
    }
    periods.push({ row, memberNumber: member.number });
    if (!change) {
      outcome.unchanged += 1;
    }
  }
  if (outcome.problems.length > 0) {
    return;
  }

  await insertMembers(tx, inserts, options);
  await addPeriods(tx, periods, outcome, options);
}

/** The next free membership number: numbers are printed on cards, so they count up. */
async function nextMembershipNumber(tx: Tx): Promise<number> {
  const row = await tx('members')
    .whereRaw("number ~ '^[0-9]{1,15}$'")
    .max({ max: tx.raw('number::bigint') })
    .first();

  return Math.max(Number(row?.max ?? 0) + 1, 100_001);
}

async function insertMembers(tx: Tx, inserts: Record<string, unknown>[], options: ImportOptions) {
  for (let start = 0; start < inserts.length; start += 1000) {
    const batch = inserts.slice(start, start + 1000);
    const created: { id: number; number: string }[] = await tx('members')
      .insert(batch)
      .returning(['id', 'number']);
    await tx('audit_log').insert(
      created.map((member, index) => ({
        actor: options.actor, action: 'create', entity: 'member', entity_id: String(member.id),
        before: null, after: JSON.stringify(batch[index]), occurred_at: options.now,
      })),
    );
  }
}

/**
 * Records each row's paid period unless it is already there. A period that overlaps another
 * one with different dates is a problem: the club must say which is right.
 */
async function addPeriods(
  tx: Tx,
  periods: { row: RosterRow; memberNumber: string }[],
  outcome: ImportOutcome,
  options: ImportOptions,
) {
  const wanted = periods.filter(({ row }) => row.validFrom && row.validTo);
  if (wanted.length === 0) {
    return;
  }

  const { rows: found } = await tx.raw(
    `select w.ordinal, m.id as member_id,
            bool_or(p.valid_from = w.valid_from and p.valid_to = w.valid_to) as same,
            bool_or(p.id is not null) as overlaps
       from unnest(?::text[], ?::date[], ?::date[])
            with ordinality as w(number, valid_from, valid_to, ordinal)
       join members m on m.number = w.number
       left join membership_periods p on p.member_id = m.id
        and p.valid_from <= w.valid_to and p.valid_to >= w.valid_from
      group by w.ordinal, m.id`,
    [
      wanted.map((entry) => entry.memberNumber),
      wanted.map((entry) => entry.row.validFrom as string),
      wanted.map((entry) => entry.row.validTo as string),
    ],
  );
  const inserts: Record<string, unknown>[] = [];
  for (const match of found as { ordinal: string; member_id: number; same: boolean; overlaps: boolean }[]) {
    const { row } = wanted[Number(match.ordinal) - 1];
    if (match.same) {
      continue;
    }
    if (match.overlaps) {
      outcome.problems.push({
        rowNumber: row.rowNumber, code: 'period_overlap', value: `${row.validFrom} – ${row.validTo}`,
        message: message(row,
          "Cette période d'adhésion chevauche une période déjà enregistrée avec d'autres dates.",
          'فترة الانخراط هذه تتداخل مع فترة مسجلة من قبل بتواريخ مختلفة.',
        ),
      });
      continue;
    }
    inserts.push({ member_id: match.member_id, valid_from: row.validFrom, valid_to: row.validTo });
  }
  if (outcome.problems.length > 0) {
    return;
  }

  for (let start = 0; start < inserts.length; start += 1000) {
    await tx('membership_periods').insert(inserts.slice(start, start + 1000));
  }
  outcome.periodsAdded = inserts.length;
  if (inserts.length > 0) {
    await recordAudit(tx, {
      actor: options.actor, action: 'renew', entity: 'roster', entityId: options.filename,
      after: { periods: inserts.length, on: businessDate(options.now) }, at: options.now,
    });
  }
}
