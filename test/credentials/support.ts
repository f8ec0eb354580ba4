import type { Express } from 'express';
import request from 'supertest';

import { DEMO_LOGINS } from '../../seeds/demo';
import { csrfTokenOf } from '../support/forms';

/** A browser-like agent signed in with a demo login; `csrf` is valid for the session's forms. */
export async function signedInAgent(
  app: Express,
  login: { email: string; password: string } = DEMO_LOGINS.admin,
) {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  const signedIn = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfTokenOf(page.text), email: login.email, password: login.password });
  if (signedIn.status !== 302) {
    throw new Error(`Login failed with ${signedIn.status}`);
  }
  // Every page of a signed-in user carries the session's CSRF token (in the sign-out form).
  const home = await agent.get(signedIn.headers.location);

  return { agent, csrf: csrfTokenOf(home.text) };
}

/** The token at the end of a card or voucher URL. */
export function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}
