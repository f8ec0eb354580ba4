import request from 'supertest';
import type { Express } from 'express';

import { DEMO_LOGINS } from '../../seeds/demo';
import { csrfTokenOf } from './forms';

/** An HTTP agent signed in as the demo club admin or the Guelmim-Oued Noun coordinator. */
export async function signedInClubUser(app: Express, who: 'admin' | 'coordinator') {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  const response = await agent.post('/login').type('form').send({
    _csrf: csrfTokenOf(page.text),
    email: DEMO_LOGINS[who].email,
    password: DEMO_LOGINS[who].password,
  });
  if (response.status !== 302) {
    throw new Error(`login as ${who} failed with ${response.status}`);
  }

  return agent;
}
