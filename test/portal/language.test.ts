import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { DEMO_LOGINS } from '../../seeds/demo';
import { csrfTokenOf, signIn } from '../support/forms';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

const dirOf = (html: string) => /<html lang="(\w+)" dir="(\w+)"/.exec(html)?.slice(1);

describe('the reader’s language', () => {
  it("follows a Moroccan browser's Arabic or French, and French for any other language", async () => {
    expect(dirOf((await request(runtime.app).get('/login').set('Accept-Language', 'ar-MA')).text)).toEqual(['ar', 'rtl']);
    expect(dirOf((await request(runtime.app).get('/login').set('Accept-Language', 'fr-MA,ar;q=0.5')).text)).toEqual(['fr', 'ltr']);
    expect(dirOf((await request(runtime.app).get('/login').set('Accept-Language', 'en-US')).text)).toEqual(['fr', 'ltr']);
  });

  it('takes ?lang= on any page, remembers it, and keeps it on the signed-in user for the next login', async () => {
    const agent = request.agent(runtime.app);
    const arabic = await agent.get('/login?lang=ar').set('Accept-Language', 'fr');
    expect(dirOf(arabic.text)).toEqual(['ar', 'rtl']);
    expect(arabic.text).toContain('تسجيل الدخول');
    expect(dirOf((await agent.get('/login').set('Accept-Language', 'fr')).text)).toEqual(['ar', 'rtl']);

    await agent.post('/login').type('form').send({
      _csrf: csrfTokenOf(arabic.text), email: DEMO_LOGINS.partnerManager.email, password: DEMO_LOGINS.partnerManager.password,
    });
    expect((await runtime.ctx.db('partner_users').where({ email: DEMO_LOGINS.partnerManager.email }).first()).language).toBeNull();
    await agent.get('/portal/scan?lang=fr');
    expect((await runtime.ctx.db('partner_users').where({ email: DEMO_LOGINS.partnerManager.email }).first()).language).toBe('fr');

    // Another browser, set to Arabic: the login brings the account's French back.
    const other = request.agent(runtime.app);
    const page = await other.get('/login').set('Accept-Language', 'ar-MA');
    const login = await other.post('/login').type('form').set('Accept-Language', 'ar-MA').send({
      _csrf: csrfTokenOf(page.text), email: DEMO_LOGINS.partnerManager.email, password: DEMO_LOGINS.partnerManager.password,
    });
    expect(login.headers['set-cookie']).toEqual(expect.arrayContaining([expect.stringMatching(/^lang=fr;/)]));
    expect(dirOf((await other.get('/portal/scan').set('Accept-Language', 'ar-MA')).text)).toEqual(['fr', 'ltr']);
  });

  it('remembers a language chosen on the page, never one the browser merely asks for', async () => {
    const asked = await request(runtime.app).get('/login').set('Accept-Language', 'ar-MA');
    expect(asked.headers['content-language']).toBe('ar');
    expect(asked.headers['set-cookie'] ?? []).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^lang=/)]),
    );

    const chosen = await request(runtime.app).get('/login?lang=ar').set('Accept-Language', 'fr');
    expect(chosen.headers['set-cookie']).toEqual(
      expect.arrayContaining([expect.stringMatching(/^lang=ar;/)]),
    );
  });

  it('renders templates compiled once, as production does, counts in both languages', async () => {
    runtime.app.enable('view cache');
    try {
      const card = await issueCard(runtime.ctx, { memberNumber: '100001' });
      const agent = await signIn(runtime.app, DEMO_LOGINS.partnerStaff);

      // The pharmacy's card offer allows 4 uses a month; this member has used none.
      const expected = {
        fr: 'Reste : 4 utilisation(s) cette période',
        ar: 'المتبقي: 4 استعمال(ات) في هذه الفترة',
      };
      for (const round of [1, 2]) {
        for (const [lang, remaining] of Object.entries(expected)) {
          const scan = await agent.get(`/portal/scan?lang=${lang}`);
          const verdict = await agent
            .post('/portal/verify')
            .type('form')
            .send({ _csrf: csrfTokenOf(scan.text), qr: card.url });
          const dir = lang === 'ar' ? 'rtl' : 'ltr';
          expect([round, dirOf(verdict.text)]).toEqual([round, [lang, dir]]);
          expect(verdict.text).toContain(remaining);
          expect(verdict.text).toContain('Ahmed Bennani');
        }
      }
    } finally {
      runtime.app.disable('view cache');
    }
  });
});
