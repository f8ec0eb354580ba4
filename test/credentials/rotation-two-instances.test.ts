import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

import request from 'supertest';

import { createDb, Db } from '../../src/db';
import { createApiKey } from '../../src/partners/service';
import { runCli } from '../support/cli';
import { createTestDatabase } from '../support/runtime';
import { csrfTokenOf } from '../support/forms';
import { DEMO_LOGINS } from '../../seeds/demo';

const ROOT = path.join(__dirname, '../..');

interface Instance {
  process: ChildProcess;
  url: string;
}

/** Starts `tsx src/server.ts` on the database and an ephemeral port; resolves once it listens. */
function startInstance(databaseUrl: string): Promise<Instance> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/server.ts'], {
      cwd: ROOT,
      env: {
        ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'false',
        NODE_ENV: 'test', LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /running on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        resolve({ process: child, url: `http://127.0.0.1:${match[1]}` });
      }
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

function stopInstance(instance: Instance): Promise<void> {
  return new Promise((resolve) => {
    if (instance.process.exitCode !== null) {
      resolve();

      return;
    }
    instance.process.once('exit', () => resolve());
    instance.process.kill('SIGTERM');
  });
}

/** A signed-in club admin on one instance; sessions live in the shared database. */
async function adminAgent(instance: Instance) {
  const agent = request.agent(instance.url);
  const page = await agent.get('/login');
  await agent.post('/login').type('form').send({ _csrf: csrfTokenOf(page.text), ...DEMO_LOGINS.admin });
  const keys = await agent.get('/admin/keys');

  return { agent, csrf: csrfTokenOf(keys.text) };
}

const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid;

let db: Db;
let dropDatabase: () => Promise<void>;
let databaseUrl: string;
const instances: Instance[] = [];

beforeAll(async () => {
  const database = await createTestDatabase();
  databaseUrl = database.url;
  dropDatabase = database.drop;
  db = createDb(database.url, { max: 4 });
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map(stopInstance));
  await db.destroy();
  await dropDatabase();
});

describe('key rotation with two running instances on one database', () => {
  it('both sign with the new key within seconds, without a restart; old cards still verify', async () => {
    instances.push(...(await Promise.all([startInstance(databaseUrl), startInstance(databaseUrl)])));
    const [first, second] = instances;
    const apiKey = await createApiKey(db, 'PH-GLM-01');
    const admins = await Promise.all(instances.map(adminAgent));
    const oldKid = (await db('signing_keys').where({ status: 'active' }).first()).kid;

    /** Issues a card of `member` through an instance's admin page; returns its stored token. */
    const issueThrough = async (index: number, member: string) => {
      const { agent, csrf } = admins[index];
      const issued = await agent.post('/admin/cards/issue').type('form').send({ _csrf: csrf, member });
      expect(issued.status).toBe(303);
      const row = await db('cards as c')
        .join('members as m', 'm.id', 'c.member_id')
        .where({ 'm.number': member })
        .whereNull('c.revoked_at')
        .whereNull('c.dependant_id')
        .first('c.token');

      return row.token as string;
    };
    const verifyOn = async (instance: Instance, token: string) =>
      (await request(instance.url).post('/api/v1/verify').set('Authorization', `Bearer ${apiKey}`).send({ qr: token })).body;

    const oldCard = await issueThrough(0, '100003');
    expect(kidOf(oldCard)).toBe(oldKid);

    const rotated = await runCli(['key:rotate'], { DATABASE_URL: databaseUrl });
    expect(rotated.code).toBe(0);
    const newKid = rotated.stdout.trim();
    expect(newKid).toMatch(/^[A-Za-z0-9_-]{4}$/);
    expect(newKid).not.toBe(oldKid);
    const rotatedAt = Date.now();

    // Each instance re-reads the keys every 3 seconds; and it never signs with a retired key.
    const newCards = [await issueThrough(0, '100004'), await issueThrough(1, '100002')];
    expect(newCards.map(kidOf)).toEqual([newKid, newKid]);
    let published = false;
    while (!published && Date.now() - rotatedAt < 10_000) {
      const sets = await Promise.all(instances.map((instance) => request(instance.url).get('/.well-known/jwks.json')));
      published = sets.every((set) => {
        const kids = JSON.parse(set.text).keys.map((key: { kid: string }) => key.kid);

        return kids.includes(newKid) && kids.includes(oldKid);
      });
      if (!published) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    expect(published).toBe(true);
    process.stdout.write(`rotation reached both instances in ${Date.now() - rotatedAt} ms\n`);

    for (const instance of [first, second]) {
      expect(await verifyOn(instance, oldCard)).toMatchObject({ verdict: 'valid', reason: null });
      for (const card of newCards) {
        expect(await verifyOn(instance, card)).toMatchObject({ verdict: 'valid', reason: null });
      }
    }
    const retired = await db('signing_keys').where({ kid: oldKid }).first();
    expect(retired.status).toBe('retired');
    const lastExpiry = await db('cards').where({ kid: oldKid }).max('expires_at as at').first();
    expect(new Date(retired.verify_until).getTime()).toBeGreaterThanOrEqual(new Date(lastExpiry?.at).getTime());
  }, 120_000);
});
