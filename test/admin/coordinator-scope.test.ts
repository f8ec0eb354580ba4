import { issueCard } from '../../src/cards/service';
import { signedInClubUser } from '../support/club';
import { csrfTokenOf } from '../support/forms';
import { insertRandomRedemptions, seededRandom } from '../support/redemptions';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
let ids: { fatima: number; ahmed: number; casablancaPartner: number; guelmimPartner: number };

const RANGE = 'from=2026-01-01&to=2026-12-31';

beforeAll(async () => {
  runtime = await createTestRuntime();
  const db = runtime.ctx.db;
  await issueCard(runtime.ctx, { memberNumber: '100001', now: new Date('2026-12-03T12:00:00Z') });
  await insertRandomRedemptions(db, { count: 300, year: 2026, random: seededRandom(7) });
  const member = (number: string) => db('members').where({ number }).first('id');
  const partner = (code: string) => db('partners').where({ code }).first('id');
  ids = {
    fatima: (await member('100002')).id,
    ahmed: (await member('100001')).id,
    casablancaPartner: (await partner('CL-CAS-01')).id,
    guelmimPartner: (await partner('PH-GLM-01')).id,
  };
});

afterAll(() => runtime.close());

describe('a regional coordinator reads their own region only', () => {
  it('sees only Guelmim-Oued Noun in every report and export', async () => {
    const agent = await signedInClubUser(runtime.app, 'coordinator');

    const page = await agent.get(`/admin/reports?${RANGE}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Guelmim-Oued Noun');
    expect(page.text).not.toContain('Casablanca-Settat');

    for (const url of [
      `/admin/reports?${RANGE}&format=csv`,
      `/admin/reports?${RANGE}&format=csv&table=months`,
      `/admin/reports/fairness?${RANGE}&format=csv`,
      `/admin/reports/regions?${RANGE}&format=csv`,
    ]) {
      const csv = await agent.get(url);
      expect(csv.status).toBe(200);
      expect(csv.text).not.toContain('Casablanca');
      expect(csv.text).not.toContain('Souss');
    }
    const regions = (await agent.get(`/admin/reports?${RANGE}&format=csv`)).text.trim().split('\r\n');
    expect(regions).toHaveLength(3);
    expect(regions[1]).toMatch(/^10;Guelmim-Oued Noun;/);

    // The months export of the coordinator adds up to their region's line, not the country's.
    const months = (await agent.get(`/admin/reports?${RANGE}&format=csv&table=months`)).text
      .trim().split('\r\n').slice(1).map((line) => line.split(';'));
    const regionLine = regions[1].split(';');
    expect(months.reduce((sum, cells) => sum + Number(cells[1]), 0)).toBe(Number(regionLine[2]));
  });

  it('gets a 404 for another region, province or partner, in pages and exports', async () => {
    const agent = await signedInClubUser(runtime.app, 'coordinator');
    for (const url of [
      `/admin/reports?${RANGE}&region=06`,
      `/admin/reports?${RANGE}&region=06&format=csv`,
      `/admin/reports?${RANGE}&region=06&format=xlsx`,
      `/admin/reports?${RANGE}&province=06.141`,
      `/admin/reports?${RANGE}&region=10&province=06.141`,
      `/admin/reports?${RANGE}&partner=${ids.casablancaPartner}&format=csv`,
      `/admin/reports?${RANGE}&partner=${ids.casablancaPartner}&table=months&format=xlsx`,
      `/admin/members/${ids.fatima}`,
    ]) {
      const response = await agent.get(url);
      expect({ url, status: response.status }).toEqual({ url, status: 404 });
    }

    const own = await agent.get(`/admin/reports?${RANGE}&partner=${ids.guelmimPartner}`);
    expect(own.status).toBe(200);
  });

  it('lists and searches only members working in the region', async () => {
    const agent = await signedInClubUser(runtime.app, 'coordinator');
    const list = await agent.get('/admin/members');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Ahmed Bennani');
    expect(list.text).not.toContain('Fatima');
    const search = await agent.get('/admin/members?q=Fatima');
    expect(search.text).not.toContain('Fatima Zahra');
    const byCin = await agent.get(`/admin/members?q=${encodeURIComponent('JA123456')}`);
    expect(byCin.status).toBe(200);
    const member = await agent.get(`/admin/members/${ids.ahmed}`);
    expect(member.status).toBe(200);
    expect(member.text).toContain('Ahmed Bennani');
  });

  it('cannot change anything nor read the audit log: 403', async () => {
    const agent = await signedInClubUser(runtime.app, 'coordinator');
    const page = await agent.get(`/admin/members/${ids.ahmed}`);
    const suspend = await agent
      .post(`/admin/members/${ids.ahmed}/status`)
      .type('form')
      .send({ _csrf: csrfTokenOf(page.text), status: 'suspended' });
    expect(suspend.status).toBe(403);
    const member = await runtime.ctx.db('members').where({ id: ids.ahmed }).first();
    expect(member.status).toBe('active');
    expect((await agent.get('/admin/audit')).status).toBe(403);
  });
});

describe('the club admin', () => {
  it('sees every region, finds a member by Arabic name or phone, and suspends with an audit entry', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const page = await agent.get(`/admin/reports?${RANGE}`);
    expect(page.text).toContain('Casablanca-Settat');
    expect(page.text.match(/<svg/g)).toHaveLength(2);
    const fairness = await agent.get(`/admin/reports/fairness?${RANGE}&lang=ar`);
    expect(fairness.status).toBe(200);
    expect(fairness.text).toContain('الإنصاف المجالي');
    expect(fairness.text.match(/<svg/g)).toHaveLength(2);

    const arabic = await agent.get(`/admin/members?q=${encodeURIComponent('بناني')}`);
    expect(arabic.text).toContain('Ahmed Bennani');
    expect(arabic.text).not.toContain('Fatima Zahra');
    const phone = await agent.get(`/admin/members?q=${encodeURIComponent('06 61 23 45 01')}`);
    expect(phone.text).toContain('Ahmed Bennani');
    expect(phone.text).not.toContain('Fatima Zahra');

    const memberPage = await agent.get(`/admin/members/${ids.fatima}`);
    expect(memberPage.status).toBe(200);
    expect(memberPage.text).not.toContain('BE765432');
    const suspend = await agent
      .post(`/admin/members/${ids.fatima}/status`)
      .type('form')
      .send({ _csrf: csrfTokenOf(memberPage.text), status: 'suspended' });
    expect(suspend.status).toBe(303);
    expect((await runtime.ctx.db('members').where({ id: ids.fatima }).first()).status).toBe('suspended');

    const entry = await runtime.ctx.db('audit_log').where({ entity: 'member', entity_id: String(ids.fatima) }).first();
    expect(entry).toMatchObject({ action: 'update', before: { status: 'active' }, after: { status: 'suspended' } });
    expect(entry.actor).toMatch(/^club:\d+ /);

    const today = new Date().toISOString().slice(0, 10);
    const audit = await agent.get(`/admin/audit?from=${today}&to=${today}&format=csv`);
    expect(audit.status).toBe(200);
    expect(audit.text).toContain('"{""status"":""suspended""}"');
  });

  it('renews a membership period, refusing one that overlaps with a message', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const page = await agent.get(`/admin/members/${ids.ahmed}`);
    const overlap = await agent
      .post(`/admin/members/${ids.ahmed}/periods`)
      .type('form')
      .send({ _csrf: csrfTokenOf(page.text), validFrom: '2026-06-01', validTo: '2027-05-31' });
    expect(overlap.status).toBe(422);
    expect(overlap.text).toContain('chevauche');

    const renewed = await agent
      .post(`/admin/members/${ids.ahmed}/periods`)
      .type('form')
      .send({ _csrf: csrfTokenOf(page.text), validFrom: '2030-01-01', validTo: '2030-12-31' });
    expect(renewed.status).toBe(303);
    const periods = await runtime.ctx.db('membership_periods').where({ member_id: ids.ahmed, valid_to: '2030-12-31' });
    expect(periods).toHaveLength(1);
    const entry = await runtime.ctx.db('audit_log').where({ action: 'renew' }).first();
    expect(entry.after).toMatchObject({ valid_from: '2030-01-01', valid_to: '2030-12-31' });
  });
});
