import { importRoster } from '../../src/members/import';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

const NOW = new Date('2026-12-03T12:00:00Z');
const BY = { actor: 'test', now: NOW };

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

const HEADER =
  'Nom;Prénom;الاسم الكامل;CIN;Date de naissance;Téléphone;Email;Administration;' +
  "Province de travail;Province de résidence;Début d'adhésion;Fin d'adhésion";

/** A roster as the club's secretary saves it from Excel: BOM, `;`, CRLF, quoted cells. */
function rosterCsv(lines: string[]): Buffer {
  return Buffer.from(`\ufeff${[HEADER, ...lines].join('\r\n')}\r\n`, 'utf8');
}

const GOOD = [
  'Amrani;Youssef;يوسف العمراني;ab 123401;12/03/1980;0612345678;y.amrani@example.ma;' +
    "Ministère de l'Éducation;Guelmim;كلميم;01/01/2026;31/12/2026",
  '"Benali";"Khadija";"خديجة بنعلي";C99402;1985-07-21;+212 6 12 34 56 79;;"Santé; CHR";' +
    'Casablanca;Casablanca;2026-01-01;2026-12-31',
  'Tahiri;Omar;عمر الطاهري;D 99403;01/02/1990;00212612345680;;Intérieur;10.261;;;',
  'Ouazzani;Nadia;نادية الوزاني;EE٩٩٤٠٤;05/05/1975;٠٦١٢٣٤٥٦٨١;;Finances;Laayoune;العيون;;',
];

describe('importing the club roster', () => {
  it('lists every bad row by number on a dry run and writes nothing, even for the good rows', async () => {
    const before = await runtime.ctx.db('members').count();
    const file = rosterCsv([
      ...GOOD,
      'Faux;Cin;;12345;01/01/1980;0612345690;;;Guelmim;;;', // row 6: bad CIN
      'Nulle;Part;;F99406;01/01/1980;0612345691;;;Atlantide;;;', // row 7: unknown province
      'Double;Cin;;AB123401;01/01/1981;0612345692;;;Guelmim;;;', // row 8: same CIN as row 2
      'Date;Impossible;;G99408;31/02/1980;0612345693;;;Guelmim;;;', // row 9: 31 February
    ]);
    const outcome = await importRoster(runtime.ctx.db, file, { filename: 'adherents.csv', dryRun: true, ...BY });
    expect(outcome.applied).toBe(false);
    const problems = outcome.problems.map((problem) => [problem.rowNumber, problem.code]);
    expect(problems).toEqual(
      expect.arrayContaining([
        [6, 'cin_invalid'],
        [7, 'province_unknown'],
        [9, 'date_invalid'],
      ]),
    );
    expect(problems.some(([row, code]) => row === 8 && code === 'cin_duplicate')).toBe(true);
    expect(problems.filter(([row]) => row !== null && Number(row) < 6)).toEqual([]);
    expect(outcome.problems.every((problem) => problem.message.fr && problem.message.ar)).toBe(true);
    expect(await runtime.ctx.db('members').count()).toEqual(before);

    // The same file for real: still nothing written.
    const real = await importRoster(runtime.ctx.db, file, { filename: 'adherents.csv', dryRun: false, ...BY });
    expect(real.applied).toBe(false);
    expect(await runtime.ctx.db('members').count()).toEqual(before);
  });

  it('imports Arabic and Latin names, every phone form and CIN form, and provinces by name or code', async () => {
    const file = rosterCsv(GOOD);
    const dry = await importRoster(runtime.ctx.db, file, { filename: 'adherents.csv', dryRun: true, ...BY });
    expect(dry).toMatchObject({ problems: [], created: 4, updated: 0, applied: false });
    expect(await runtime.ctx.db('members').whereIn('cin', ['AB123401']).count()).toEqual([{ count: 0 }]);

    const outcome = await importRoster(runtime.ctx.db, file, { filename: 'adherents.csv', dryRun: false, ...BY });
    expect(outcome).toMatchObject({ problems: [], created: 4, updated: 0, unchanged: 0, periodsAdded: 2, applied: true });

    const members = await runtime.ctx
      .db('members')
      .whereIn('cin', ['AB123401', 'C99402', 'D99403', 'EE99404'])
      .orderBy('cin')
      .select('cin', 'first_name', 'last_name', 'full_name_ar', 'phone', 'birth_date', 'work_province_code',
        'residence_province_code', 'employer', 'number');
    expect(members.map(({ number, ...rest }) => rest)).toEqual([
      { cin: 'AB123401', first_name: 'Youssef', last_name: 'Amrani', full_name_ar: 'يوسف العمراني',
        phone: '+212612345678', birth_date: '1980-03-12', work_province_code: '10.261',
        residence_province_code: '10.261', employer: "Ministère de l'Éducation" },
      { cin: 'C99402', first_name: 'Khadija', last_name: 'Benali', full_name_ar: 'خديجة بنعلي',
        phone: '+212612345679', birth_date: '1985-07-21', work_province_code: '06.141',
        residence_province_code: '06.141', employer: 'Santé; CHR' },
      { cin: 'D99403', first_name: 'Omar', last_name: 'Tahiri', full_name_ar: 'عمر الطاهري',
        phone: '+212612345680', birth_date: '1990-02-01', work_province_code: '10.261',
        residence_province_code: null, employer: 'Intérieur' },
      { cin: 'EE99404', first_name: 'Nadia', last_name: 'Ouazzani', full_name_ar: 'نادية الوزاني',
        phone: '+212612345681', birth_date: '1975-05-05', work_province_code: '11.321',
        residence_province_code: '11.321', employer: 'Finances' },
    ]);
    // New members get the next membership numbers after the demo's.
    expect(members.map((member) => member.number).sort()).toEqual(['100007', '100008', '100009', '100010']);
    const periods = await runtime.ctx.db('membership_periods')
      .join('members', 'members.id', 'membership_periods.member_id')
      .where('members.cin', 'AB123401')
      .select('valid_from', 'valid_to');
    expect(periods).toEqual([{ valid_from: '2026-01-01', valid_to: '2026-12-31' }]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const audit = await runtime.ctx.db('audit_log').count();
    const stamps = await runtime.ctx.db('members').orderBy('id').select('id', 'updated_at');
    const outcome = await importRoster(runtime.ctx.db, rosterCsv(GOOD), { filename: 'adherents.csv', dryRun: false, ...BY });
    expect(outcome).toMatchObject({ created: 0, updated: 0, unchanged: 4, periodsAdded: 0, problems: [] });
    expect(await runtime.ctx.db('members').orderBy('id').select('id', 'updated_at')).toEqual(stamps);
    // Only the line saying an import ran.
    const after = await runtime.ctx.db('audit_log').count();
    expect(Number(after[0].count)).toBe(Number(audit[0].count) + 1);
  });

  it('updates a member found by CIN or by membership number from a changed file, logging before and after', async () => {
    const changed = [
      GOOD[0].replace('0612345678', '0698765432'),
      ...GOOD.slice(1, 3),
      GOOD[3],
    ];
    const outcome = await importRoster(runtime.ctx.db, rosterCsv(changed), { filename: 'v2.csv', dryRun: false, ...BY });
    expect(outcome).toMatchObject({ created: 0, updated: 1, unchanged: 3, problems: [] });
    const member = await runtime.ctx.db('members').where({ cin: 'AB123401' }).first();
    expect(member.phone).toBe('+212698765432');
    const entry = await runtime.ctx.db('audit_log').where({ entity: 'member', entity_id: String(member.id), action: 'update' }).first();
    expect(entry).toMatchObject({ before: { phone: '+212612345678' }, after: { phone: '+212698765432' } });

    // By number: the club corrected a CIN typed wrong.
    const byNumber = Buffer.from(
      `\ufeffN° adhérent;Nom;Prénom;CIN;Province\r\n${member.number};Amrani;Youssef;AB123499;Guelmim\r\n`,
    );
    const corrected = await importRoster(runtime.ctx.db, byNumber, { filename: 'v3.csv', dryRun: false, ...BY });
    expect(corrected).toMatchObject({ updated: 1, created: 0, problems: [] });
    expect((await runtime.ctx.db('members').where({ id: member.id }).first()).cin).toBe('AB123499');
  });

  it('refuses a row whose number and CIN belong to two different members, writing nothing', async () => {
    const fatima = await runtime.ctx.db('members').where({ number: '100002' }).first();
    const file = Buffer.from(
      `\ufeffN° adhérent;Nom;Prénom;CIN;Province\r\n100001;Bennani;Ahmed;JA123456;Guelmim\r\n` +
        `100002;Bennani;Ahmed;JA123456;Guelmim\r\n`,
    );
    const outcome = await importRoster(runtime.ctx.db, file, { filename: 'x.csv', dryRun: false, ...BY });
    expect(outcome.applied).toBe(false);
    expect(outcome.problems.map((problem) => problem.code)).toContain('cin_duplicate');
    const single = Buffer.from(`\ufeffN° adhérent;Nom;Prénom;CIN;Province\r\n100002;Bennani;Ahmed;JA123456;Guelmim\r\n`);
    const conflict = await importRoster(runtime.ctx.db, single, { filename: 'x.csv', dryRun: false, ...BY });
    expect(conflict.problems.map((problem) => [problem.rowNumber, problem.code])).toEqual([[2, 'identity_conflict']]);
    expect(await runtime.ctx.db('members').where({ id: fatima.id }).first()).toEqual(fatima);
  });
});
