import { findPartnerById, partnerMayRedeem } from '../../src/partners/service';
import { signedInClubUser } from '../support/club';
import { csrfTokenOf } from '../support/forms';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

describe('partner administration', () => {
  it('creates a partner, its agreement, a counter login and an offer, each logged', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const list = await agent.get('/admin/partners');
    expect(list.status).toBe(200);
    expect(list.text).toContain('LB-LAA-01');
    expect(list.text).toContain('Aucune convention en cours');

    const created = await agent.post('/admin/partners').type('form').send({
      _csrf: csrfTokenOf(list.text), code: 'op-glm-02', legalName: 'Optique Oued Noun SARL',
      displayName: 'Optique Oued Noun', displayNameAr: 'بصريات واد نون', category: 'optician',
      provinceCode: '10.261', phone: '0528 87 00 00',
    });
    expect(created.status).toBe(303);
    const partner = await runtime.ctx.db('partners').where({ code: 'OP-GLM-02' }).first();
    expect(partner).toMatchObject({ display_name: 'Optique Oued Noun', province_code: '10.261' });
    const page = await agent.get(created.headers.location);
    const csrf = csrfTokenOf(page.text);

    const agreement = await agent.post(`/admin/partners/${partner.id}/agreements`).type('form')
      .send({ _csrf: csrf, reference: 'CONV-2026-117', startsOn: '2026-01-01', endsOn: '2027-12-31' });
    expect(agreement.status).toBe(303);
    const user = await agent.post(`/admin/partners/${partner.id}/users`).type('form')
      .send({ _csrf: csrf, email: 'Accueil@Optique-OuedNoun.ma', role: 'staff', password: 'lunettes-2026' });
    expect(user.status).toBe(303);
    const offer = await agent.post(`/admin/partners/${partner.id}/offers`).type('form').send({
      _csrf: csrf, titleFr: '150 MAD sur les verres', titleAr: '150 درهم على العدسات', category: 'medical',
      benefitKind: 'amount', benefitValue: '150,00', scope: 'region', validFrom: '2026-01-01',
      dependantsEligible: '1', limitCount: '1', limitPeriod: 'year',
    });
    expect(offer.status).toBe(303);
    const stored = await runtime.ctx.db('offers').where({ partner_id: partner.id }).first();
    expect(stored).toMatchObject({ benefit_kind: 'amount', benefit_value: 15_000, limit_count: 1, limit_period: 'year', status: 'active' });

    const entries = await runtime.ctx.db('audit_log').whereIn('entity', ['partner', 'agreement', 'partner_user', 'offer']).orderBy('id');
    expect(entries.map((entry) => [entry.entity, entry.action])).toEqual([
      ['partner', 'create'], ['agreement', 'create'], ['partner_user', 'create'], ['offer', 'create'],
    ]);
    expect(JSON.stringify(entries[2].after)).not.toContain('lunettes');

    const listed = await agent.get('/admin/partners');
    expect(listed.text).toContain('En cours jusqu&#x27;au 31/12/2027');
  });

  it('answers a duplicate code or a bad offer with a message and a 422, changing nothing', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const list = await agent.get('/admin/partners');
    const duplicate = await agent.post('/admin/partners').type('form').send({
      _csrf: csrfTokenOf(list.text), code: 'PH-GLM-01', legalName: 'X', displayName: 'X',
      category: 'pharmacy', provinceCode: '10.261',
    });
    expect(duplicate.status).toBe(422);
    expect(duplicate.text).toContain('déjà utilisé');

    const partner = await runtime.ctx.db('partners').where({ code: 'PH-GLM-01' }).first();
    const before = await runtime.ctx.db('offers').where({ partner_id: partner.id }).count();
    const page = await agent.get(`/admin/partners/${partner.id}`);
    const badOffer = await agent.post(`/admin/partners/${partner.id}/offers`).type('form').send({
      _csrf: csrfTokenOf(page.text), titleFr: 'Remise', titleAr: 'تخفيض', category: 'medicines',
      benefitKind: 'percent', benefitValue: '150', scope: 'province', validFrom: '2026-01-01',
    });
    expect(badOffer.status).toBe(422);
    expect(badOffer.text).toContain("L&#x27;offre est incomplète");
    expect(await runtime.ctx.db('offers').where({ partner_id: partner.id }).count()).toEqual(before);
  });

  it('suspends a partner, who then cannot redeem, and keeps coordinators out', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const partner = await runtime.ctx.db('partners').where({ code: 'HT-AGA-01' }).first();
    const mayRedeem = async () =>
      partnerMayRedeem(runtime.ctx.db, (await findPartnerById(runtime.ctx.db, partner.id))!, new Date('2026-12-03T12:00:00Z'));
    expect(await mayRedeem()).toBe(true);
    const page = await agent.get(`/admin/partners/${partner.id}`);
    const suspended = await agent.post(`/admin/partners/${partner.id}`).type('form').send({
      _csrf: csrfTokenOf(page.text), code: partner.code, legalName: partner.legal_name,
      displayName: partner.display_name, displayNameAr: partner.display_name_ar, category: 'hotel',
      provinceCode: partner.province_code, address: partner.address ?? '', phone: partner.phone ?? '',
      status: 'suspended',
    });
    expect(suspended.status).toBe(303);
    const entry = await runtime.ctx.db('audit_log').where({ entity: 'partner', entity_id: String(partner.id) }).first();
    expect(entry.before).toEqual({ status: 'active' });
    expect(entry.after).toEqual({ status: 'suspended' });
    expect(await mayRedeem()).toBe(false);

    const coordinator = await signedInClubUser(runtime.app, 'coordinator');
    expect((await coordinator.get('/admin/partners')).status).toBe(403);
    expect((await coordinator.get(`/admin/partners/${partner.id}`)).status).toBe(403);
  });
});
