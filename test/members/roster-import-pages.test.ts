import { signedInClubUser } from '../support/club';
import { csrfTokenOf } from '../support/forms';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

const csv = (text: string) => Buffer.from(`\ufeff${text.replace(/\n/g, '\r\n')}`, 'utf8');

function uploadIdOf(html: string): string {
  const match = /action="\/admin\/members\/import\/([0-9a-f-]{36})"/.exec(html);
  if (!match) {
    throw new Error('no confirmation form on the page');
  }

  return match[1];
}

describe('the roster import pages', () => {
  it('checks the file, shows what would change, and imports only once confirmed', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const form = await agent.get('/admin/members/import');
    expect(form.status).toBe(200);
    const template = await agent.get('/admin/members/import/template.csv');
    expect(template.status).toBe(200);
    expect(template.text).toContain('CIN');

    const file = csv('Nom;Prénom;CIN;Téléphone;Province\nSaidi;Hind;K55501;0655501001;Guelmim\n');
    const checked = await agent
      .post('/admin/members/import')
      .field('_csrf', csrfTokenOf(form.text))
      .attach('roster', file, 'adhérents.csv');
    expect(checked.status).toBe(200);
    expect(checked.text).toContain('1 nouvel(s) adhérent(s)');
    expect(await runtime.ctx.db('members').where({ cin: 'K55501' }).first()).toBeUndefined();

    const done = await agent
      .post(`/admin/members/import/${uploadIdOf(checked.text)}`)
      .type('form')
      .send({ _csrf: csrfTokenOf(checked.text), confirm: '1', headers: '[]' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Import terminé');
    const member = await runtime.ctx.db('members').where({ cin: 'K55501' }).first();
    expect(member).toMatchObject({ first_name: 'Hind', last_name: 'Saidi', phone: '+212655501001' });
    expect(await runtime.ctx.db('roster_uploads').count()).toEqual([{ count: 0 }]);
  });

  it('lists the problems by row in Arabic for an Arabic reader, and writes nothing', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const form = await agent.get('/admin/members/import?lang=ar');
    const file = csv('الاسم العائلي;الاسم الشخصي;رقم البطاقة الوطنية;الإقليم\nعلوي;سعاد;12;كلميم\n');
    const checked = await agent
      .post('/admin/members/import')
      .field('_csrf', csrfTokenOf(form.text))
      .attach('roster', file, 'roster.csv');
    expect(checked.status).toBe(422);
    expect(checked.text).toContain('السطر 2');
    expect(checked.text).not.toContain('تأكيد الاستيراد');
  });

  it('shows an unclosed quote with its line in Arabic, without the reader’s English', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const form = await agent.get('/admin/members/import?lang=ar');
    const file = csv('Nom;Prénom;CIN;Province\n"Saidi;Hind;K55509;Guelmim\n');
    const checked = await agent
      .post('/admin/members/import')
      .field('_csrf', csrfTokenOf(form.text))
      .attach('roster', file, 'roster.csv');
    expect(checked.status).toBe(422);
    expect(checked.text).toContain('توقفت القراءة في السطر 3');
    expect(checked.text).not.toContain('Quote Not Closed');
    expect(checked.text).not.toContain('the parsing is finished');
  });

  it('refuses a membership number written as a formula, and writes nothing', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const form = await agent.get('/admin/members/import');
    const file = csv('N° adhérent;Nom;Prénom;CIN;Province\n=cmd|calc;Saidi;Hind;K55508;Guelmim\n');
    const checked = await agent
      .post('/admin/members/import')
      .field('_csrf', csrfTokenOf(form.text))
      .attach('roster', file, 'roster.csv');
    expect(checked.status).toBe(422);
    expect(checked.text).toContain('Ligne 2 : N° adhérent « &#x3D;cmd|calc » invalide');
    expect(await runtime.ctx.db('members').where({ cin: 'K55508' }).first()).toBeUndefined();
  });

  it('lets the admin map columns it cannot recognise, then imports', async () => {
    const agent = await signedInClubUser(runtime.app, 'admin');
    const form = await agent.get('/admin/members/import');
    const file = csv('Famille;Prenom usuel;Piece identite;Lieu\nKettani;Ali;K55502;Guelmim\n');
    const checked = await agent
      .post('/admin/members/import')
      .field('_csrf', csrfTokenOf(form.text))
      .attach('roster', file, 'export.csv');
    expect(checked.status).toBe(422);
    expect(checked.text).toContain('name="map_0"');
    const id = uploadIdOf(checked.text);
    const headers = JSON.stringify(['Famille', 'Prenom usuel', 'Piece identite', 'Lieu']);
    const mapping = { map_0: 'lastName', map_1: 'firstName', map_2: 'cin', map_3: 'workProvince' };
    const mapped = await agent
      .post(`/admin/members/import/${id}`)
      .type('form')
      .send({ _csrf: csrfTokenOf(checked.text), headers, ...mapping });
    expect(mapped.status).toBe(200);
    expect(mapped.text).toContain('1 nouvel(s) adhérent(s)');
    const done = await agent
      .post(`/admin/members/import/${uploadIdOf(mapped.text)}`)
      .type('form')
      .send({ _csrf: csrfTokenOf(mapped.text), headers, confirm: '1', ...mapping });
    expect(done.text).toContain('Import terminé');
    expect(await runtime.ctx.db('members').where({ cin: 'K55502' }).first()).toMatchObject({ last_name: 'Kettani' });
  });

  it('refuses coordinators: 403, nothing read', async () => {
    const agent = await signedInClubUser(runtime.app, 'coordinator');
    const page = await agent.get('/admin/members');
    const response = await agent
      .post('/admin/members/import')
      .field('_csrf', csrfTokenOf(page.text))
      .attach('roster', csv('Nom;Prénom;CIN;Province\nX;Y;K55503;Guelmim\n'), 'x.csv');
    expect(response.status).toBe(403);
    expect((await agent.get('/admin/members/import')).status).toBe(403);
  });
});
