import request from 'supertest';

import { DEMO_LOGINS } from '../../seeds/demo';
import { csrfTokenOf } from '../support/forms';
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
});
