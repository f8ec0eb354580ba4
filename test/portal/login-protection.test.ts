import http from 'node:http';
import type { AddressInfo } from 'node:net';

import request from 'supertest';

import { DEMO_LOGINS } from '../../seeds/demo';
import { csrfTokenOf } from '../support/forms';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

async function tryLogin(agent: ReturnType<typeof request.agent>, email: string, password: string) {
  const page = await agent.get('/login');

  return agent.post('/login').type('form').send({ _csrf: csrfTokenOf(page.text), email, password });
}

describe('login protection', () => {
  it('stops password guessing after 10 failures for one account, even with the right password', async () => {
    const agent = request.agent(runtime.app);
    const { email, password } = DEMO_LOGINS.partnerManager;
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      expect((await tryLogin(agent, email, `wrong-${attempt}`)).status).toBe(401);
    }
    const blocked = await tryLogin(agent, email, password);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain("Trop d&#x27;essais de connexion");

    // Another account from the same address is not locked out by it.
    expect((await tryLogin(agent, DEMO_LOGINS.partnerStaff.email, DEMO_LOGINS.partnerStaff.password)).status).toBe(302);
  });

  it('answers a NUL byte in the e-mail with a plain refusal, not a server error', async () => {
    const response = await tryLogin(request.agent(runtime.app), 'a\u0000b@x.ma', 'whatever-123');
    expect(response.status).toBe(400);
    expect(response.text).toContain('La demande est incomplète ou invalide.');
  });

  it('shows Arabic to a browser that asks for ar-MA, and remembers ?lang=ar-MA as Arabic', async () => {
    const page = await request(runtime.app).get('/login').set('Accept-Language', 'ar-MA,ar;q=0.9,fr;q=0.8');
    expect(page.text).toContain('<html lang="ar" dir="rtl">');
    const chosen = await request(runtime.app).get('/login?lang=ar-MA');
    expect(chosen.text).toContain('<html lang="ar" dir="rtl">');
  });

  it('has stored the new session by the time the login answers, so the redirect finds it', async () => {
    const server = http.createServer(runtime.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A slow database: each session write takes a third of a second to commit.
    await runtime.ctx.db.raw(`
      create function slow_session_write() returns trigger language plpgsql as
        $$ begin perform pg_sleep(0.3); return new; end $$;
      create trigger slow_session_write before insert or update on session
        for each row execute function slow_session_write();`);
    try {
      const page = await fetch(`${base}/login`);
      const body = new URLSearchParams({
        _csrf: csrfTokenOf(await page.text()),
        email: DEMO_LOGINS.partnerStaff.email,
        password: DEMO_LOGINS.partnerStaff.password,
      }).toString();
      // A browser follows the redirect as soon as it has the headers: look then, not later.
      const stored = await new Promise<unknown>((resolve, reject) => {
        const post = http.request(`${base}/login`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Cookie: page.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; '),
          },
        });
        post.on('response', (response) => {
          const cookies = (response.headers['set-cookie'] ?? []).map((cookie) => decodeURIComponent(cookie.split(';')[0]));
          const sid = cookies.map((cookie) => /^nadipass\.sid=s:(.+)\.[^.]+$/.exec(cookie)?.[1]).find(Boolean);
          runtime.ctx.db('session').where({ sid: sid ?? '' }).first('sess').then(resolve, reject);
          response.resume();
        });
        post.on('error', reject);
        post.end(body);
      });
      expect(stored).toMatchObject({ sess: { user: { kind: 'partner', role: 'staff' } } });
    } finally {
      await runtime.ctx.db.raw(`
        drop trigger slow_session_write on session;
        drop function slow_session_write();`);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
