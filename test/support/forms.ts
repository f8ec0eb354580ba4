import type { Express } from 'express';
import request from 'supertest';

/** The CSRF token of the first form on a server-rendered page. */
export function csrfTokenOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) {
    throw new Error('no CSRF token on the page');
  }

  return match[1];
}

/** The value of a hidden or text input on a page. */
export function inputValue(html: string, name: string): string {
  const match = new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html);
  if (!match) {
    throw new Error(`no input ${name} on the page`);
  }

  return match[1];
}

/** A browser-like agent signed in to the portal with the given login (fails unless redirected). */
export async function signIn(
  app: Express,
  login: { email: string; password: string },
): Promise<ReturnType<typeof request.agent>> {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  const response = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfTokenOf(page.text), email: login.email, password: login.password });
  expect(response.status).toBe(302);

  return agent;
}
