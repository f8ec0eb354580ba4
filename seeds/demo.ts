import { Knex } from 'knex';

import { hashPassword } from '../src/auth/passwords';

/** Demo logins, printed at start outside production. */
export const DEMO_LOGINS = {
  admin: { email: 'admin@nadipass.ma', password: 'admin-demo-2026' },
  coordinator: { email: 'coordination.guelmim@nadipass.ma', password: 'coord-demo-2026' },
  partnerStaff: { email: 'comptoir@pharmacie-alamal.ma', password: 'comptoir-demo-2026' },
  partnerManager: { email: 'gerant@pharmacie-alamal.ma', password: 'gerant-demo-2026' },
};

interface DemoMember {
  number: string;
  cin: string;
  first_name: string;
  last_name: string;
  full_name_ar: string;
  birth_date: string;
  employer: string;
  work_province_code: string;
  residence_province_code: string;
  phone: string;
  email: string;
  status: 'active' | 'suspended' | 'lapsed';
}

const MEMBERS: DemoMember[] = [
  {
    number: '100001', cin: 'JA123456', first_name: 'Ahmed', last_name: 'Bennani',
    full_name_ar: 'أحمد بناني', birth_date: '1978-04-12', employer: 'Direction provinciale de la santé',
    work_province_code: '10.261', residence_province_code: '10.261', phone: '+212661234501',
    email: 'ahmed.bennani@example.ma', status: 'active',
  },
  {
    number: '100002', cin: 'BE765432', first_name: 'Fatima Zahra', last_name: 'El Idrissi',
    full_name_ar: 'فاطمة الزهراء الإدريسي', birth_date: '1985-09-30', employer: 'Académie régionale',
    work_province_code: '06.141', residence_province_code: '06.141', phone: '+212662234502',
    email: 'fz.elidrissi@example.ma', status: 'active',
  },
  {
    number: '100003', cin: 'JB234567', first_name: 'Rachid', last_name: 'Ouali',
    full_name_ar: 'رشيد الوالي', birth_date: '1972-01-05', employer: 'Commune de Agadir',
    work_province_code: '09.001', residence_province_code: '09.001', phone: '+212663234503',
    email: 'rachid.ouali@example.ma', status: 'active',
  },
  {
    number: '100004', cin: 'A987654', first_name: 'Salma', last_name: 'Tazi',
    full_name_ar: 'سلمى التازي', birth_date: '1990-06-18', employer: 'Ministère des Finances',
    work_province_code: '04.421', residence_province_code: '04.421', phone: '+212664234504',
    email: 'salma.tazi@example.ma', status: 'active',
  },
  {
    number: '100005', cin: 'SH345678', first_name: 'Mohamed', last_name: 'Lahcen',
    full_name_ar: 'محمد لحسن', birth_date: '1969-11-02', employer: 'Province de Laâyoune',
    work_province_code: '11.321', residence_province_code: '11.321', phone: '+212665234505',
    email: 'mohamed.lahcen@example.ma', status: 'lapsed',
  },
  {
    number: '100006', cin: 'JC456789', first_name: 'Brahim', last_name: 'Aït Baha',
    full_name_ar: 'إبراهيم آيت باها', birth_date: '1981-03-22', employer: 'Direction régionale de l\'équipement',
    work_province_code: '10.261', residence_province_code: '10.521', phone: '+212666234506',
    email: 'brahim.aitbaha@example.ma', status: 'suspended',
  },
];

interface DemoPartner {
  code: string;
  legal_name: string;
  display_name: string;
  display_name_ar: string;
  category: string;
  province_code: string;
  address: string;
  phone: string;
  /** Whether its agreement covers today (a partner without one cannot redeem). */
  currentAgreement: boolean;
}

const PARTNERS: DemoPartner[] = [
  {
    code: 'PH-GLM-01', legal_name: 'Pharmacie Al Amal SARL', display_name: 'Pharmacie Al Amal',
    display_name_ar: 'صيدلية الأمل', category: 'pharmacy', province_code: '10.261',
    address: '12, avenue Mohammed V, Guelmim', phone: '+212528871234', currentAgreement: true,
  },
  {
    code: 'CL-CAS-01', legal_name: 'Clinique Anfa Santé SA', display_name: 'Clinique Anfa Santé',
    display_name_ar: 'مصحة أنفا للصحة', category: 'clinic', province_code: '06.141',
    address: '45, boulevard d\'Anfa, Casablanca', phone: '+212522391234', currentAgreement: true,
  },
  {
    code: 'OP-RAB-01', legal_name: 'Optique Agdal SARL', display_name: 'Optique Agdal',
    display_name_ar: 'بصريات أكدال', category: 'optician', province_code: '04.421',
    address: '8, avenue de France, Agdal, Rabat', phone: '+212537671234', currentAgreement: true,
  },
  {
    code: 'HT-AGA-01', legal_name: 'Hôtel Atlas Agadir SA', display_name: 'Hôtel Atlas Agadir',
    display_name_ar: 'فندق أطلس أكادير', category: 'hotel', province_code: '09.001',
    address: 'Boulevard du 20 Août, Agadir', phone: '+212528841234', currentAgreement: true,
  },
  {
    code: 'LB-LAA-01', legal_name: 'Laboratoire Sakia SARL', display_name: 'Laboratoire Sakia',
    display_name_ar: 'مختبر الساقية', category: 'laboratory', province_code: '11.321',
    address: 'Avenue de la Mecque, Laâyoune', phone: '+212528891234', currentAgreement: false,
  },
];

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Loads the demo members, partners, offers and logins into an empty database. */
export async function seed(knex: Knex, now = new Date()): Promise<void> {
  const year = now.getUTCFullYear();
  const periodStart = `${year}-01-01`;
  const periodEnd = `${year + 1}-12-31`;

  const memberIds = new Map<string, number>();
  for (const member of MEMBERS) {
    const [row] = await knex('members').insert(member).returning('id');
    memberIds.set(member.number, row.id);
    if (member.status !== 'lapsed') {
      await knex('membership_periods').insert({
        member_id: row.id, valid_from: periodStart, valid_to: periodEnd,
      });
    } else {
      await knex('membership_periods').insert({
        member_id: row.id, valid_from: `${year - 2}-01-01`, valid_to: `${year - 1}-12-31`,
      });
    }
  }

  await knex('dependants').insert([
    {
      member_id: memberIds.get('100001'), relation: 'spouse', first_name: 'Khadija',
      last_name: 'Bennani', full_name_ar: 'خديجة بناني', birth_date: '1982-07-09',
    },
    {
      member_id: memberIds.get('100001'), relation: 'child', first_name: 'Youssef',
      last_name: 'Bennani', full_name_ar: 'يوسف بناني', birth_date: '2012-02-14',
    },
    {
      member_id: memberIds.get('100002'), relation: 'parent', first_name: 'Zineb',
      last_name: 'El Idrissi', full_name_ar: 'زينب الإدريسي', birth_date: '1955-12-01',
    },
  ]);

  const partnerIds = new Map<string, number>();
  for (const { currentAgreement, ...partner } of PARTNERS) {
    const [row] = await knex('partners').insert(partner).returning('id');
    partnerIds.set(partner.code, row.id);
    await knex('agreements').insert({
      partner_id: row.id,
      reference: `CONV-${year - 1}-${partner.code}`,
      starts_on: `${year - 1}-01-01`,
      ends_on: currentAgreement ? `${year + 2}-12-31` : isoDate(new Date(now.getTime() - 86_400_000 * 30)),
    });
  }

  const offerDefaults = {
    valid_from: `${year - 1}-01-01`, valid_to: null, dependants_eligible: true, status: 'active',
  };
  await knex('offers').insert([
    {
      ...offerDefaults, partner_id: partnerIds.get('PH-GLM-01'),
      title_fr: '10 % sur la parapharmacie', title_ar: 'تخفيض 10٪ على منتجات شبه الصيدلة',
      description_fr: 'Sur présentation de la carte de membre.',
      description_ar: 'عند تقديم بطاقة العضوية.',
      category: 'medicines', benefit_kind: 'percent', benefit_value: 10, scope: 'region',
      voucher_required: false, limit_count: 4, limit_period: 'month',
    },
    {
      ...offerDefaults, partner_id: partnerIds.get('PH-GLM-01'),
      title_fr: 'Test de glycémie offert', title_ar: 'فحص نسبة السكر في الدم مجانا',
      description_fr: 'Un test par an, sur bon.', description_ar: 'فحص واحد في السنة، بقسيمة.',
      category: 'health', benefit_kind: 'free', benefit_value: 0, scope: 'region',
      voucher_required: true, voucher_uses: 1, voucher_valid_days: 60,
      limit_count: 1, limit_period: 'year',
    },
    {
      ...offerDefaults, partner_id: partnerIds.get('CL-CAS-01'),
      title_fr: '15 % sur les consultations', title_ar: 'تخفيض 15٪ على الاستشارات',
      category: 'medical', benefit_kind: 'percent', benefit_value: 15, scope: 'region',
      voucher_required: false, limit_count: 2, limit_period: 'month',
    },
    {
      ...offerDefaults, partner_id: partnerIds.get('OP-RAB-01'),
      title_fr: '200 MAD sur une monture', title_ar: '200 درهم على إطار النظارات',
      category: 'medical', benefit_kind: 'amount', benefit_value: 20000, scope: 'national',
      voucher_required: true, voucher_uses: 1, voucher_valid_days: 90,
      limit_count: 1, limit_period: 'year', dependants_eligible: true,
    },
    {
      ...offerDefaults, partner_id: partnerIds.get('HT-AGA-01'),
      title_fr: '20 % sur les nuitées', title_ar: 'تخفيض 20٪ على الليالي',
      category: 'holidays', benefit_kind: 'percent', benefit_value: 20, scope: 'national',
      voucher_required: false, limit_count: 2, limit_period: 'year', quota: 500,
    },
    {
      ...offerDefaults, partner_id: partnerIds.get('LB-LAA-01'),
      title_fr: '25 % sur les analyses', title_ar: 'تخفيض 25٪ على التحاليل',
      category: 'medical', benefit_kind: 'percent', benefit_value: 25, scope: 'region',
      voucher_required: false, limit_count: null, limit_period: null,
    },
  ]);

  const [admin] = await knex('club_users')
    .insert({
      email: DEMO_LOGINS.admin.email, name: 'Administration du club', role: 'admin',
      password_hash: await hashPassword(DEMO_LOGINS.admin.password),
    })
    .returning('id');
  const [coordinator] = await knex('club_users')
    .insert({
      email: DEMO_LOGINS.coordinator.email, name: 'Coordination Guelmim-Oued Noun',
      role: 'coordinator', password_hash: await hashPassword(DEMO_LOGINS.coordinator.password),
    })
    .returning('id');
  await knex('coordinator_regions').insert({ club_user_id: coordinator.id, region_code: '10' });
  void admin;

  await knex('partner_users').insert([
    {
      partner_id: partnerIds.get('PH-GLM-01'), email: DEMO_LOGINS.partnerStaff.email,
      name: 'Comptoir', role: 'staff',
      password_hash: await hashPassword(DEMO_LOGINS.partnerStaff.password),
    },
    {
      partner_id: partnerIds.get('PH-GLM-01'), email: DEMO_LOGINS.partnerManager.email,
      name: 'Gérant', role: 'manager',
      password_hash: await hashPassword(DEMO_LOGINS.partnerManager.password),
    },
  ]);
}

/** Loads the demo data when the database has no member yet. Returns whether it did. */
export async function seedIfEmpty(knex: Knex): Promise<boolean> {
  // A transaction-level advisory lock: two instances starting together seed once.
  return knex.transaction(async (tx) => {
    await tx.raw('select pg_advisory_xact_lock(hashtext(?))', ['nadipass:demo-seed']);
    const existing = await tx('members').first('id');
    if (existing) {
      return false;
    }
    await seed(tx);

    return true;
  });
}
