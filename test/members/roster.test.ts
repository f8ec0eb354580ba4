import ExcelJS from 'exceljs';

import {
  parseRoster,
  recogniseColumns,
  rosterTemplateCsv,
  type RosterProblem,
} from '../../src/members/roster';
import { matchProvince } from '../../src/members/roster/provinces';

const BOM = '\uFEFF';

function csv(lines: readonly string[], eol = '\r\n', bom = true): Buffer {
  return Buffer.from(`${bom ? BOM : ''}${lines.join(eol)}${eol}`, 'utf8');
}

function summary(problems: readonly RosterProblem[]): unknown[] {
  return problems.map(({ rowNumber, code, column, value }) => [rowNumber, code, column, value]);
}

describe('parseRoster: a French CSV (BOM, `;`, CRLF, quoted fields, Arabic names)', () => {
  const file = csv([
    '"N° Adhérent";NOM;Prénom;Nom en arabe;C.I.N;Date de naissance;Tél.;E-mail;Employeur;'
      + "Province de travail;Province de résidence;Début d'adhésion;Fin d'adhésion",
    'A-0001;EL AMRANI;Fatima Zahra;فاطمة الزهراء العمراني;JB123456;14/03/1985;0612345678;'
      + 'Fatima.ElAmrani@Exemple.MA;"Ministère de la Santé; Délégation de Guelmim";Guelmim;'
      + 'guelmim;01/01/2026;31/12/2026',
    'A-0002;"  Ben   Ali ";Mohamed;;" j 12345 ";4/7/1979;06 12 34 56 79;;"Lycée ""Al Massira""";'
      + 'Laayoune;Tan Tan;2026-01-01;2026-12-31',
    '',
    'A-0003;Ouali;Hassan;حسن الوالي;BK٤٥٦٧٨٩;05-11-1990;+212 6 12 34 56 80;h.ouali@gov.ma;'
      + 'Commune de Tantan;Tantan;Kenitra;;',
    'A-0004;Tazi;Salma;;c 998877;1988-02-29;00212612345681;;;Eljadida;El Jadida;;',
    'A-0005;Berrada;Youssef;;AA1;31/12/1970;212612345682;;;Casablanca;;;',
    'A-0006;Alaoui;Nadia;نادية العلوي;"AB 654321";01/01/2000;٠٦١٢٣٤٥٦٨٣;;;10.261;كلميم;;',
    'A-0007;Idrissi;Omar;;X7;15/06/1995;۰۶۱۲۳۴۵۶۸۴;;"Direction régionale\r\nde l\'éducation";'
      + 'Goulmime;العيون;;',
  ]);

  it('recognises every column and reads every row, with no problem', async () => {
    const result = await parseRoster(file, { filename: 'adherents.csv' });

    expect(result.problems).toEqual([]);
    expect(result.columns.map((column) => column.field)).toEqual([
      'membershipNumber', 'lastName', 'firstName', 'fullNameArabic', 'cin', 'birthDate', 'phone',
      'email', 'employer', 'workProvince', 'residenceProvince', 'validFrom', 'validTo',
    ]);
    expect(result.columns[0]).toEqual({ header: 'N° Adhérent', field: 'membershipNumber' });
    expect(result.rows).toEqual([
      {
        rowNumber: 2,
        membershipNumber: 'A-0001',
        lastNameLatin: 'EL AMRANI',
        firstNameLatin: 'Fatima Zahra',
        fullNameArabic: 'فاطمة الزهراء العمراني',
        cin: 'JB123456',
        birthDate: '1985-03-14',
        phone: '+212612345678',
        email: 'fatima.elamrani@exemple.ma',
        employer: 'Ministère de la Santé; Délégation de Guelmim',
        workProvinceCode: '10.261',
        residenceProvinceCode: '10.261',
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
      },
      {
        rowNumber: 3,
        membershipNumber: 'A-0002',
        lastNameLatin: 'Ben Ali',
        firstNameLatin: 'Mohamed',
        cin: 'J12345',
        birthDate: '1979-07-04',
        phone: '+212612345679',
        employer: 'Lycée "Al Massira"',
        workProvinceCode: '11.321',
        residenceProvinceCode: '10.521',
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
      },
      {
        rowNumber: 5,
        membershipNumber: 'A-0003',
        lastNameLatin: 'Ouali',
        firstNameLatin: 'Hassan',
        fullNameArabic: 'حسن الوالي',
        cin: 'BK456789',
        birthDate: '1990-11-05',
        phone: '+212612345680',
        email: 'h.ouali@gov.ma',
        employer: 'Commune de Tantan',
        workProvinceCode: '10.521',
        residenceProvinceCode: '04.281',
      },
      {
        rowNumber: 6,
        membershipNumber: 'A-0004',
        lastNameLatin: 'Tazi',
        firstNameLatin: 'Salma',
        cin: 'C998877',
        birthDate: '1988-02-29',
        phone: '+212612345681',
        workProvinceCode: '06.181',
        residenceProvinceCode: '06.181',
      },
      {
        rowNumber: 7,
        membershipNumber: 'A-0005',
        lastNameLatin: 'Berrada',
        firstNameLatin: 'Youssef',
        cin: 'AA1',
        birthDate: '1970-12-31',
        phone: '+212612345682',
        workProvinceCode: '06.141',
      },
      {
        rowNumber: 8,
        membershipNumber: 'A-0006',
        lastNameLatin: 'Alaoui',
        firstNameLatin: 'Nadia',
        fullNameArabic: 'نادية العلوي',
        cin: 'AB654321',
        birthDate: '2000-01-01',
        phone: '+212612345683',
        workProvinceCode: '10.261',
        residenceProvinceCode: '10.261',
      },
      {
        rowNumber: 9,
        membershipNumber: 'A-0007',
        lastNameLatin: 'Idrissi',
        firstNameLatin: 'Omar',
        cin: 'X7',
        birthDate: '1995-06-15',
        phone: '+212612345684',
        employer: "Direction régionale de l'éducation",
        workProvinceCode: '10.261',
        residenceProvinceCode: '11.321',
      },
    ]);
  });

  it('reads the same rows from a `,`-separated copy without BOM, with LF endings', async () => {
    const commaFile = csv(
      [
        'Nom,Prénom,CIN,Téléphone,Province de travail',
        'Tazi,Salma,C998877,"06 12 34 56 81",Eljadida',
      ],
      '\n',
      false,
    );

    const result = await parseRoster(commaFile, { filename: 'adherents.csv' });

    expect(result.problems).toEqual([]);
    expect(result.rows).toEqual([
      {
        rowNumber: 2,
        lastNameLatin: 'Tazi',
        firstNameLatin: 'Salma',
        cin: 'C998877',
        phone: '+212612345681',
        workProvinceCode: '06.181',
      },
    ]);
  });
});

describe('parseRoster: an Arabic-header CSV', () => {
  const file = csv(
    [
      'رقم الانخراط,الاسم العائلي,الاسم الشخصي,الاسم الكامل,رقم البطاقة الوطنية,تاريخ الازدياد,'
        + 'الهاتف,البريد الإلكتروني,الإدارة,إقليم العمل,إقليم الإقامة',
      'B-01,Mansouri,Khadija,خديجة المنصوري,EE112233,03/09/1982,0661234567,,'
        + '"المديرية الإقليمية للتعليم، كلميم",اقليم كلميم,ڭلميم',
      'B-02,Haddad,Rachid,رشيد الحداد,JA5566,1975-12-01,0700112233,R.Haddad@example.ma,,طانطان,'
        + 'الدار البيضاء',
      'B-03,العلمي,سعيد,,JC7788,,,,,العيون,',
      'B-04,Chraibi,Amina,أمينة الشرايبي,JD9900,,,,,اكادير,آسفي',
    ],
    '\n',
    false,
  );

  it('recognises the Arabic headers and the Arabic province names in their variants', async () => {
    const result = await parseRoster(file, { filename: 'لائحة.csv' });

    expect(result.columns.map((column) => column.field)).toEqual([
      'membershipNumber', 'lastName', 'firstName', 'fullNameArabic', 'cin', 'birthDate', 'phone',
      'email', 'employer', 'workProvince', 'residenceProvince',
    ]);
    expect(result.rows).toEqual([
      {
        rowNumber: 2,
        membershipNumber: 'B-01',
        lastNameLatin: 'Mansouri',
        firstNameLatin: 'Khadija',
        fullNameArabic: 'خديجة المنصوري',
        cin: 'EE112233',
        birthDate: '1982-09-03',
        phone: '+212661234567',
        employer: 'المديرية الإقليمية للتعليم، كلميم',
        workProvinceCode: '10.261',
        residenceProvinceCode: '10.261',
      },
      {
        rowNumber: 3,
        membershipNumber: 'B-02',
        lastNameLatin: 'Haddad',
        firstNameLatin: 'Rachid',
        fullNameArabic: 'رشيد الحداد',
        cin: 'JA5566',
        birthDate: '1975-12-01',
        phone: '+212700112233',
        email: 'r.haddad@example.ma',
        workProvinceCode: '10.521',
        residenceProvinceCode: '06.141',
      },
      {
        rowNumber: 5,
        membershipNumber: 'B-04',
        lastNameLatin: 'Chraibi',
        firstNameLatin: 'Amina',
        fullNameArabic: 'أمينة الشرايبي',
        cin: 'JD9900',
        workProvinceCode: '09.001',
        residenceProvinceCode: '07.431',
      },
    ]);
  });

  it('refuses a member named only in Arabic: the card needs the Latin name', async () => {
    const result = await parseRoster(file, { filename: 'لائحة.csv' });

    expect(result.problems).toEqual([
      {
        rowNumber: 4,
        column: 'الاسم العائلي',
        code: 'required_missing',
        message: {
          fr: 'Ligne 4 : le nom et le prénom en lettres latines sont obligatoires '
            + '(ils figurent sur la carte)',
          ar: 'السطر 4: الاسم العائلي والشخصي بالحروف اللاتينية إلزاميان (يظهران على البطاقة)',
        },
      },
    ]);
  });
});

describe('parseRoster: an English-header XLSX', () => {
  async function buildWorkbook(): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Members');
    workbook.addWorksheet('Notes').addRow(['Not read: only the first sheet is']);
    sheet.addRow([
      'Membership number', 'Last name', 'First name', 'National ID', 'Date of birth', 'Phone',
      'Email', 'Employer', 'Work province', 'Residence province', 'Valid from', 'Valid to',
    ]);
    sheet.addRow([
      'C-1', 'Naciri', 'Leila', 'ee 445566', new Date(Date.UTC(1986, 4, 20)), 612345690,
      { text: 'Leila.Naciri@example.ma', hyperlink: 'mailto:Leila.Naciri@example.ma' },
      { richText: [{ text: 'Wilaya ' }, { text: 'de Guelmim', font: { bold: true } }] },
      'Guelmim', 'Sidi Ifni', new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2026, 11, 31)),
    ]);
    sheet.addRow([]);
    sheet.addRow([
      'C-2', 'Fassi', 'Karim', 'JF1020', '14/03/1985', '+212 6 12 34 56 91', 'k.fassi@example.ma',
      { formula: '"ON"&"EE"', result: 'ONEE' }, 'Laâyoune', null, '2026-01-01', null,
    ]);
    // CASE: a birth-date cell that lost its date format and shows Excel's serial number.
    sheet.addRow(['C-3', 'Kettani', 'Sara', 'JG3030', 31120, null, null, null, 10.521]);
    for (const address of ['E2', 'K2', 'L2']) sheet.getCell(address).numFmt = 'dd/mm/yyyy';

    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  it('reads real date cells, text dates, numbers, hyperlinks, rich text and formulas', async () => {
    const result = await parseRoster(await buildWorkbook(), { filename: 'members.xlsx' });

    expect(result.problems).toEqual([]);
    expect(result.columns.map((column) => column.field)).toEqual([
      'membershipNumber', 'lastName', 'firstName', 'cin', 'birthDate', 'phone', 'email',
      'employer', 'workProvince', 'residenceProvince', 'validFrom', 'validTo',
    ]);
    expect(result.rows).toEqual([
      {
        rowNumber: 2,
        membershipNumber: 'C-1',
        lastNameLatin: 'Naciri',
        firstNameLatin: 'Leila',
        cin: 'EE445566',
        birthDate: '1986-05-20',
        phone: '+212612345690',
        email: 'leila.naciri@example.ma',
        employer: 'Wilaya de Guelmim',
        workProvinceCode: '10.261',
        residenceProvinceCode: '10.473',
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
      },
      {
        rowNumber: 4,
        membershipNumber: 'C-2',
        lastNameLatin: 'Fassi',
        firstNameLatin: 'Karim',
        cin: 'JF1020',
        birthDate: '1985-03-14',
        phone: '+212612345691',
        email: 'k.fassi@example.ma',
        employer: 'ONEE',
        workProvinceCode: '11.321',
        validFrom: '2026-01-01',
      },
      {
        rowNumber: 5,
        membershipNumber: 'C-3',
        lastNameLatin: 'Kettani',
        firstNameLatin: 'Sara',
        cin: 'JG3030',
        birthDate: '1985-03-14',
        workProvinceCode: '10.521',
      },
    ]);
  });
});

describe('parseRoster: bad rows', () => {
  const file = csv([
    'Nom;Prénom;CIN;Date de naissance;Téléphone;E-mail;Province de travail',
    'Amrani;Said;AB12X;01/01/1980;0612345678;;Guelmim',
    'Bennis;Laila;J55;31/02/1990;0612;;Guelmin',
    '',
    'Cherkaoui;Anas;J55;1985-13-01;;anas@;Atlantis',
    'Daoudi;Imane;K77;12/05/2090;;;Rabat',
    'Ennaji;Yassine;K88;12/05/1899;;;Rabat',
    'Fikri;;K99;;;;Rabat',
    'Gharbi;Hind;;;;;',
    'Hajji;Omar;L10;;;;Salé',
    ';;;;;;',
    'Idrissi;Reda;j 55;;;;Sale',
  ]);

  it('reports every problem of every row, by row and column; keeps only good rows', async () => {
    const result = await parseRoster(file, { filename: 'adherents.csv' });

    expect(summary(result.problems)).toEqual([
      [2, 'cin_invalid', 'CIN', 'AB12X'],
      [3, 'date_invalid', 'Date de naissance', '31/02/1990'],
      [3, 'phone_invalid', 'Téléphone', '0612'],
      [3, 'province_unknown', 'Province de travail', 'Guelmin'],
      [5, 'date_invalid', 'Date de naissance', '1985-13-01'],
      [5, 'email_invalid', 'E-mail', 'anas@'],
      [5, 'province_unknown', 'Province de travail', 'Atlantis'],
      [5, 'cin_duplicate', 'CIN', 'J55'],
      [6, 'date_out_of_range', 'Date de naissance', '12/05/2090'],
      [7, 'date_out_of_range', 'Date de naissance', '12/05/1899'],
      [8, 'required_missing', 'Prénom', undefined],
      [9, 'required_missing', 'CIN', undefined],
      [9, 'required_missing', 'Province de travail', undefined],
      [12, 'cin_duplicate', 'CIN', 'J55'],
    ]);
    expect(result.rows).toEqual([
      {
        rowNumber: 10,
        lastNameLatin: 'Hajji',
        firstNameLatin: 'Omar',
        cin: 'L10',
        workProvinceCode: '04.441',
      },
    ]);
  });

  it('words each problem for the secretary, in French and Arabic', async () => {
    const result = await parseRoster(file, { filename: 'adherents.csv' });
    const messageOf = (rowNumber: number, code: string) =>
      result.problems.find((p) => p.rowNumber === rowNumber && p.code === code)?.message;

    expect(messageOf(2, 'cin_invalid')).toEqual({
      fr: 'Ligne 2 : CIN « AB12X » invalide (1 ou 2 lettres suivies de 1 à 6 chiffres)',
      ar: 'السطر 2: رقم البطاقة الوطنية «AB12X» غير صحيح '
        + '(حرف أو حرفان لاتينيان متبوعان بـ 1 إلى 6 أرقام)',
    });
    expect(messageOf(3, 'province_unknown')).toEqual({
      fr: 'Ligne 3 : province de travail « Guelmin » inconnue. '
        + 'Vouliez-vous dire « Guelmim » (10.261) ?',
      ar: 'السطر 3: إقليم العمل «Guelmin» غير معروف. هل تقصد «كلميم» (10.261)؟',
    });
    expect(messageOf(5, 'province_unknown')?.fr).toBe(
      'Ligne 5 : province de travail « Atlantis » inconnue '
        + '(écrivez le nom de la province ou son code, par exemple Guelmim ou 10.261)',
    );
    expect(messageOf(3, 'date_invalid')?.fr).toBe(
      'Ligne 3 : date de naissance « 31/02/1990 » invalide (date inexistante ou format inconnu ; '
        + 'écrivez jj/mm/aaaa)',
    );
    expect(messageOf(12, 'cin_duplicate')).toEqual({
      fr: 'Ligne 12 : CIN « J55 » déjà présent à la ligne 3',
      ar: 'السطر 12: رقم البطاقة الوطنية «J55» مكرر، سبق ذكره في السطر 3',
    });
    expect(messageOf(9, 'required_missing')?.fr).toBe('Ligne 9 : « CIN » est vide');
  });

  it('refuses a membership ending before it starts, and a repeated membership number', async () => {
    const result = await parseRoster(
      csv([
        "N° adhérent;Nom;Prénom;CIN;Province;Début d'adhésion;Fin d'adhésion",
        'M1;Amrani;Said;A1;Tiznit;01/01/2026;31/12/2025',
        'M1;Bennis;Laila;A2;Tiznit;;',
      ]),
      { filename: 'adherents.csv' },
    );

    expect(summary(result.problems)).toEqual([
      [2, 'date_range_invalid', "Fin d'adhésion", '31/12/2025'],
      [3, 'membership_number_duplicate', 'N° adhérent', 'M1'],
    ]);
    expect(result.problems[0]?.message.fr).toBe(
      'Ligne 2 : la fin d’adhésion (31/12/2025) précède son début (01/01/2026)',
    );
  });
});

describe('parseRoster: a title above the header', () => {
  it('finds the header below the title and keeps the sheet’s row numbers', async () => {
    const file = csv([
      'Liste des adhérents 2026;;;',
      ';;;',
      'Nom;Prénom;CIN;Province',
      'Saidi;Karima;JT4455;Tata',
    ]);

    const result = await parseRoster(file, { filename: 'adherents.csv' });

    expect(result.problems).toEqual([]);
    expect(result.rows).toEqual([
      {
        rowNumber: 4,
        lastNameLatin: 'Saidi',
        firstNameLatin: 'Karima',
        cin: 'JT4455',
        workProvinceCode: '09.551',
      },
    ]);
  });
});

describe('parseRoster: full names in one column', () => {
  it('splits a Latin full name by comma, capitals, then the header’s convention', async () => {
    const french = csv([
      'Nom et prénom;CIN;Province',
      'EL ALAOUI Mohamed;A1;Rabat',
      'Ben Ali Mohamed Amine;A2;Rabat',
      'Mohamed Amine EL IDRISSI;A3;Rabat',
      '"Alami, Karim";A4;Rabat',
      'حسن الوالي;A5;Rabat',
    ]);
    const english = csv(['Full name;CIN;Province', 'Karim Ben Salah;A6;Rabat']);

    const frenchResult = await parseRoster(french, { filename: 'a.csv' });
    const englishResult = await parseRoster(english, { filename: 'b.csv' });

    const names = [...frenchResult.rows, ...englishResult.rows].map((row) => [
      row.lastNameLatin,
      row.firstNameLatin,
    ]);
    expect(names).toEqual([
      ['EL ALAOUI', 'Mohamed'],
      ['Ben Ali', 'Mohamed Amine'],
      ['EL IDRISSI', 'Mohamed Amine'],
      ['Alami', 'Karim'],
      ['Ben Salah', 'Karim'],
    ]);
    expect(summary(frenchResult.problems)).toEqual([
      [6, 'required_missing', 'Nom et prénom', undefined],
    ]);
  });
});

describe('parseRoster: a layout the admin maps by hand', () => {
  const file = csv([
    'Réf;Personne;Pièce;Lieu;GSM;Observations',
    'R-9;SAIDI Karima;JT4455;Tata;0612345699;à relancer',
  ]);

  it('says which required columns are missing and which were recognised', async () => {
    const result = await parseRoster(file, { filename: 'export.csv' });

    expect(result.rows).toEqual([]);
    expect(result.problems).toEqual([
      {
        rowNumber: null,
        code: 'columns_unrecognised',
        message: {
          fr: 'Colonnes obligatoires introuvables : « Nom » et « Prénom » (ou « Nom complet »), '
            + '« CIN », « Province de travail ». Colonnes reconnues : « GSM » = Téléphone.',
          ar: 'أعمدة إلزامية غير موجودة: «الاسم العائلي» و«الاسم الشخصي» '
            + '(أو «الاسم الكامل بالحروف اللاتينية»)، «رقم البطاقة الوطنية»، «إقليم العمل». '
            + 'الأعمدة المتعرف عليها: «GSM» = الهاتف.',
        },
      },
    ]);
  });

  it('reads the file once the admin has mapped the columns', async () => {
    const result = await parseRoster(file, {
      filename: 'export.csv',
      mapping: {
        'Réf': 'membershipNumber',
        Personne: 'fullNameLatin',
        'Pièce': 'cin',
        Lieu: 'workProvince',
        Observations: null,
        Commentaire: 'employer',
      },
    });

    expect(result.columns).toEqual([
      { header: 'Réf', field: 'membershipNumber' },
      { header: 'Personne', field: 'fullNameLatin' },
      { header: 'Pièce', field: 'cin' },
      { header: 'Lieu', field: 'workProvince' },
      { header: 'GSM', field: 'phone' },
      { header: 'Observations', field: null },
    ]);
    expect(result.rows).toEqual([
      {
        rowNumber: 2,
        membershipNumber: 'R-9',
        lastNameLatin: 'SAIDI',
        firstNameLatin: 'Karima',
        cin: 'JT4455',
        phone: '+212612345699',
        workProvinceCode: '09.551',
      },
    ]);
    expect(summary(result.problems)).toEqual([
      [null, 'mapping_header_missing', 'Commentaire', undefined],
    ]);
  });

  it('lets a mapped column win over a recognised one, and reports the one it shadows', async () => {
    const result = await parseRoster(
      csv(['Nom;Prénom;CIN;Pièce;Province', 'Saidi;Karima;ancien;JT4455;Tata']),
      { filename: 'export.csv', mapping: { 'Pièce': 'cin' } },
    );

    expect(result.rows.map((row) => row.cin)).toEqual(['JT4455']);
    expect(summary(result.problems)).toEqual([[null, 'column_duplicate', 'CIN', undefined]]);
  });
});

describe('rosterTemplateCsv', () => {
  it('is UTF-8 with BOM, `;`-separated, CRLF, with the French headers', () => {
    const text = rosterTemplateCsv().toString('utf8');

    expect(text.startsWith(BOM)).toBe(true);
    expect(text.slice(1).split('\r\n')[0]).toBe(
      "N° adhérent;Nom;Prénom;Nom en arabe;CIN;Date de naissance;Téléphone;E-mail;Administration;"
        + "Province de travail;Province de résidence;Début d'adhésion;Fin d'adhésion",
    );
  });

  it('round-trips through parseRoster with no problem', async () => {
    const result = await parseRoster(rosterTemplateCsv(), { filename: 'modele-adherents.csv' });

    expect(result.problems).toEqual([]);
    expect(result.columns.every((column) => column.field !== null)).toBe(true);
    expect(result.rows).toEqual([
      {
        rowNumber: 2,
        membershipNumber: '000123',
        lastNameLatin: 'EL AMRANI',
        firstNameLatin: 'Fatima Zahra',
        fullNameArabic: 'فاطمة الزهراء العمراني',
        cin: 'JB123456',
        birthDate: '1985-03-14',
        phone: '+212612345678',
        email: 'fatima.elamrani@exemple.ma',
        employer: 'Délégation provinciale de la santé',
        workProvinceCode: '10.261',
        residenceProvinceCode: '10.261',
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
      },
    ]);
  });
});

describe('recogniseColumns', () => {
  it('recognises French, Arabic and English headers, whatever case, accents, punctuation', () => {
    const expected: [string, string | null][] = [
      ['Nom', 'lastName'], ['PRENOM', 'firstName'], ['Nom complet', 'fullNameLatin'],
      ['الاسم الكامل', 'fullNameArabic'], ['الإسم العائلي', 'lastName'],
      ['الاسم الشخصي', 'firstName'], ['cin', 'cin'], ['رقم البطاقة الوطنية', 'cin'],
      ['Date de naissance (jj/mm/aaaa)', 'birthDate'],
      ['تاريخ الازدياد', 'birthDate'], ['Téléphone', 'phone'], ['Tél.', 'phone'], ['GSM', 'phone'],
      ['الهاتف', 'phone'], ['Email', 'email'], ['E-mail', 'email'], ['البريد الالكتروني', 'email'],
      ['Administration', 'employer'], ['Employeur', 'employer'], ['الإدارة', 'employer'],
      ['Province de travail', 'workProvince'], ['إقليم العمل', 'workProvince'],
      ['Province de résidence', 'residenceProvince'], ['اقليم الاقامة', 'residenceProvince'],
      ['N° adhérent', 'membershipNumber'], ['Matricule', 'membershipNumber'],
      ['Last name', 'lastName'], ['First Name', 'firstName'], ['phone', 'phone'],
      ['Employer', 'employer'], ['Work province', 'workProvince'],
      ['Residence province', 'residenceProvince'], ['Valid from', 'validFrom'],
      ['Valid to', 'validTo'], ["Début d'adhésion", 'validFrom'], ['Fin d’adhésion', 'validTo'],
      ['Remarques', null],
    ];

    // Each header alone, so that no two compete for one field.
    const recognised = expected.map(([header]) => [header, recogniseColumns([header])[0]?.field]);

    expect(recognised).toEqual(expected);
  });

  it('keeps the first of two columns that feed the same field', () => {
    expect(recogniseColumns(['Tél', 'GSM', ''])).toEqual([
      { header: 'Tél', field: 'phone' },
      { header: 'GSM', field: null },
      { header: '', field: null },
    ]);
  });
});

describe('parseRoster: membership numbers and names that are not plain text', () => {
  const HEADER = 'N° adhérent;Nom;Prénom;Nom en arabe;CIN;Province';

  it('refuses a membership number that is not letters, digits and hyphens', async () => {
    const result = await parseRoster(
      csv([
        HEADER,
        '=cmd|calc;Amrani;Said;;A1;Tiznit',
        '-2+3;Bennis;Laila;;A2;Tiznit',
        '123456789012345678901;Tazi;Salma;;A3;Tiznit',
        '100004;Ouali;Rachid;;A4;Tiznit',
        'A-0005;Lahcen;Mohamed;;A5;Tiznit',
      ]),
      { filename: 'adherents.csv' },
    );

    expect(summary(result.problems)).toEqual([
      [2, 'membership_number_invalid', 'N° adhérent', '=cmd|calc'],
      [3, 'membership_number_invalid', 'N° adhérent', '-2+3'],
      [4, 'membership_number_invalid', 'N° adhérent', '123456789012345678901'],
    ]);
    const first = result.problems[0]?.message;
    expect(first?.fr).toMatch(/^Ligne 2 : N° adhérent « =cmd\|calc » invalide/);
    expect(first?.ar).toMatch(/^السطر 2: رقم الانخراط «=cmd\|calc» غير صحيح/);
    expect(result.rows.map((row) => row.membershipNumber)).toEqual(['100004', 'A-0005']);
  });

  it('refuses a name holding control characters other than tabs and line breaks', async () => {
    const result = await parseRoster(
      csv([
        HEADER,
        '100001;Amr\u0000ani;Said;;A1;Tiznit',
        '100002;Bennis;La\u0007ila;;A2;Tiznit',
        '100003;Tazi;Salma;سلمى\u007Fالتازي;A3;Tiznit',
        '100004;Ouali;"Rachid\tAmine\r\n";;A4;Tiznit',
      ]),
      { filename: 'adherents.csv' },
    );

    expect(summary(result.problems)).toEqual([
      [2, 'text_invalid', 'Nom', undefined],
      [3, 'text_invalid', 'Prénom', undefined],
      [4, 'text_invalid', 'Nom en arabe', undefined],
    ]);
    expect(result.problems[1]?.message).toEqual({
      fr: 'Ligne 3 : « Prénom » contient des caractères de contrôle invisibles '
        + '(retapez la cellule)',
      ar: 'السطر 3: خانة «الاسم الشخصي» تحتوي على رموز تحكم غير مرئية (أعد كتابة الخانة)',
    });
    expect(result.rows.map((row) => row.firstNameLatin)).toEqual(['Rachid Amine']);
  });

  it('drops invisible bidi controls from names rather than refusing the row', async () => {
    const result = await parseRoster(
      csv([
        HEADER,
        '100001;\u202EinarmA\u202C;Said;\u202Bسعيد\u202C \u2067العمراني\u2069;A1;Tiznit',
      ]),
      { filename: 'adherents.csv' },
    );

    expect(result.problems).toEqual([]);
    expect(result.rows[0]).toMatchObject({
      lastNameLatin: 'inarmA',
      fullNameArabic: 'سعيد العمراني',
    });
  });
});

describe('matchProvince', () => {
  it.each([
    ['10.261', '10.261'], ['1.511', '01.511'], ['guelmim', '10.261'], ['GUELMIM', '10.261'],
    ['Goulmime', '10.261'], ['Province de Guelmim', '10.261'], ['كلميم', '10.261'],
    ['إقليم كلميم', '10.261'], ['Laayoune', '11.321'], ['LAÂYOUNE', '11.321'],
    ['Tan Tan', '10.521'], ['Tantan', '10.521'], ['tan-tan', '10.521'], ['Kenitra', '04.281'],
    ['El Jadida', '06.181'],
    ['Eljadida', '06.181'], ['Casablanca', '06.141'], ['Préfecture de Casablanca', '06.141'],
    ['الدار البيضاء', '06.141'], ['اسفي', '07.431'], ['أسفي', '07.431'], ['آسفي', '07.431'],
    ['طانطان', '10.521'], ['السمارة', '11.221'], ['السماره', '11.221'], ['Smara', '11.221'],
    ['Dakhla', '12.391'], ['سيدي إفني', '10.473'], ['سيدي افنى', '10.473'],
    ["Province d'El Kelâa des Sraghna", '07.191'], ['Mohammedia', '06.371'],
  ])('reads %s as %s', (text, code) => {
    const match = matchProvince(text);

    expect(match.found && match.province.code).toBe(code);
  });

  it('suggests the clearly closest province, and none when several are as close', () => {
    expect(matchProvince('Tiznitt')).toEqual({
      found: false,
      suggestion: { code: '09.581', regionCode: '09', nameFr: 'Tiznit', nameAr: 'تيزنيت' },
    });
    expect(matchProvince('Sidi')).toEqual({ found: false });
    expect(matchProvince('Rabat-Salé')).toEqual({ found: false });
    expect(matchProvince('99.999')).toEqual({ found: false });
  });
});

describe('parseRoster: files it cannot read', () => {
  it.each([
    ['an empty file', Buffer.alloc(0), 'x.csv', 'file_empty'],
    ['a legacy .xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), 'x.xls', 'file_unsupported'],
    ['a Windows-1252 CSV', Buffer.from('Nom;Pr\xe9nom\r\n', 'latin1'), 'x.csv', 'encoding_invalid'],
    ['a broken XLSX', Buffer.from('PK\x03\x04broken', 'latin1'), 'x.xlsx', 'file_unreadable'],
    ['an unclosed quote', Buffer.from('Nom;CIN\r\n"Amrani;A1\r\n'), 'x.csv', 'file_unreadable'],
  ])('turns %s into one file problem', async (_name, file, filename, code) => {
    const result = await parseRoster(file, { filename });

    expect(result).toEqual({
      columns: [],
      rows: [],
      problems: [
        {
          rowNumber: null,
          code,
          message: { fr: expect.any(String), ar: expect.any(String) },
          ...(code === 'file_unreadable' ? { detail: expect.any(String) } : {}),
        },
      ],
    });
  });

  it('says in French and Arabic where an unclosed quote stops the reading', async () => {
    const file = Buffer.from('Nom;CIN\r\n"Amrani;A1\r\n');

    const [problem] = (await parseRoster(file, { filename: 'x.csv' })).problems;

    expect(problem?.message).toEqual({
      fr: 'Le fichier CSV contient un guillemet (") ouvert qui n’est jamais refermé '
        + '(la lecture s’arrête à la ligne 3) : vérifiez les cellules qui commencent par '
        + 'un guillemet.',
      ar: 'ملف CSV يحتوي على علامة تنصيص (") مفتوحة لم تُغلق (توقفت القراءة في السطر 3): '
        + 'تحقق من الخانات التي تبدأ بعلامة تنصيص.',
    });
    expect(problem?.detail).toContain('Quote Not Closed');
  });

  it('keeps the XLSX reader’s English words out of the message', async () => {
    const file = Buffer.from('PK\x03\x04broken', 'latin1');

    const [problem] = (await parseRoster(file, { filename: 'x.xlsx' })).problems;

    expect(problem?.message).toEqual({
      fr: 'Le fichier est illisible ou abîmé.',
      ar: 'تعذرت قراءة الملف أو أنه تالف.',
    });
    expect(problem?.detail).toEqual(expect.any(String));
  });

  it('throws a TypeError on misuse', async () => {
    const notABuffer = 'x' as unknown as Buffer;

    await expect(parseRoster(notABuffer, { filename: 'x.csv' })).rejects.toThrow(TypeError);
    await expect(
      parseRoster(csv(['CIN']), { filename: 'x.csv', mapping: { CIN: 'nope' as 'cin' } }),
    ).rejects.toThrow(TypeError);
  });
});
