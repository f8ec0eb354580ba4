import crypto from 'node:crypto';

import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { createApiKey } from '../../src/partners/service';
import { createTestRuntime, TestRuntime } from '../support/runtime';
import { signedInAgent } from './support';

let runtime: TestRuntime;
let apiKey: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  apiKey = await createApiKey(runtime.ctx.db, 'PH-GLM-01');
});

afterAll(() => runtime.close());

const verify = (qr: string) =>
  request(runtime.app).post('/api/v1/verify').set('Authorization', `Bearer ${apiKey}`).send({ qr });

const publishedKids = async () =>
  JSON.parse((await request(runtime.app).get('/.well-known/jwks.json')).text).keys.map(
    (key: { kid: string }) => key.kid,
  );

/** A well-formed token signed by a key the club never had, under the given key id. */
function foreignToken(kid: string): string {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');
  const claims = { v: 1, k: 'c', jti: crypto.randomBytes(12).toString('base64url'), sub: 'M1', n: 'X', iat: 1796299200, exp: 1830297600 };
  const input = `${b64(JSON.stringify({ alg: 'ES256', kid }))}.${b64(JSON.stringify(claims))}`;
  const signature = crypto.sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });

  return `${input}.${b64(signature)}`;
}

describe('the signing keys', () => {
  it('lets an admin rotate the key: new cards use it, older cards keep verifying', async () => {
    const before = await issueCard(runtime.ctx, { memberNumber: '100002' });
    const oldKid = runtime.ctx.keys.signingKey().kid;
    const { agent, csrf } = await signedInAgent(runtime.app);

    const rotated = await agent.post('/admin/keys/rotate').type('form').send({ _csrf: csrf });
    expect(rotated.status).toBe(303);
    const newKid = decodeURIComponent(rotated.headers.location.replace('/admin/keys?rotated=', ''));
    expect(newKid).not.toBe(oldKid);
    expect(runtime.ctx.keys.signingKey().kid).toBe(newKid);
    const page = await agent.get(rotated.headers.location);
    expect(page.text).toContain(`Nouvelle clé active : ${newKid}.`);

    const after = await issueCard(runtime.ctx, { memberNumber: '100003' });
    expect(JSON.parse(Buffer.from(after.token.split('.')[0], 'base64url').toString()).kid).toBe(newKid);
    expect((await verify(before.url)).body.verdict).toBe('valid');
    expect((await verify(after.url)).body.verdict).toBe('valid');
    expect(await publishedKids()).toEqual(expect.arrayContaining([oldKid, newKid]));
  });

  it('refuses a rotation without the form token', async () => {
    const { agent } = await signedInAgent(runtime.app);
    const kid = runtime.ctx.keys.signingKey().kid;
    const forged = await agent.post('/admin/keys/rotate').type('form').send({});
    expect(forged.status).toBe(403);
    expect(runtime.ctx.keys.signingKey().kid).toBe(kid);
  });

  it('drops a retired key from the key set once everything it signed has expired', async () => {
    const oldKid = runtime.ctx.keys.signingKey().kid;
    const { agent, csrf } = await signedInAgent(runtime.app);
    await agent.post('/admin/keys/rotate').type('form').send({ _csrf: csrf });
    const retired = await runtime.ctx.db('signing_keys').where({ kid: oldKid }).first();
    const lastExpiry = await runtime.ctx.db('cards').where({ kid: oldKid }).max('expires_at as at').first();
    expect(retired.verify_until.getTime()).toBe(new Date(lastExpiry?.at).getTime());

    const justBefore = new Date(retired.verify_until.getTime() - 1000);
    const justAfter = new Date(retired.verify_until.getTime() + 1000);
    const kids = (now: Date) => runtime.ctx.keys.publicKeySet(now).keys.map((key) => key.kid);
    expect(kids(justBefore)).toContain(oldKid);
    expect(kids(justAfter)).not.toContain(oldKid);
  });

  it('reloads the keys at most once per cool-down for tokens naming unknown key ids', async () => {
    const reload = jest.spyOn(runtime.ctx.keys, 'reload');
    for (let index = 0; index < 20; index += 1) {
      const response = await verify(foreignToken(`zz${String(index).padStart(6, '0')}`));
      expect(response.status).toBe(200);
      expect(response.body.reason).toBe('unknown_key');
    }
    expect(reload.mock.calls.length).toBeLessThanOrEqual(1);
    reload.mockRestore();
  });
});
