import pg from 'pg';

import { SessionCache } from '../../src/web/session-cache';
import { SessionStore, TOUCH_INTERVAL_MS } from '../../src/web/session-store';
import { withinASecond } from '../support/notices';
import { createTestDatabase } from '../support/runtime';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;
let store: SessionStore;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  store = new SessionStore({ pool, prune: false });
});

afterAll(async () => {
  jest.restoreAllMocks();
  await pool.end();
  await database.drop();
});

const call = (run: (done: (error?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => run((error) => (error ? reject(error) : resolve())));

/** A session whose cookie expires `hours` after `from`. */
function sessionAt(from: number, hours = 12) {
  const expires = new Date(from + hours * 3_600_000);

  return { cookie: { originalMaxAge: hours * 3_600_000, expires } } as never;
}

async function storedExpiry(sid: string): Promise<number> {
  const { rows } = await pool.query('select expire from session where sid = $1', [sid]);

  return (rows[0].expire as Date).getTime();
}

describe('the session store', () => {
  it('writes a session\'s new expiry at most once an interval, then again', async () => {
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
    await call((done) => store.set('s-1', sessionAt(start), done));
    const saved = await storedExpiry('s-1');
    expect(Math.abs(saved - (start + 12 * 3_600_000))).toBeLessThan(1_000);

    // A request half an interval later: its new expiry is not written.
    clock.mockReturnValue(start + TOUCH_INTERVAL_MS / 2);
    await call((done) => store.touch('s-1', sessionAt(start + TOUCH_INTERVAL_MS / 2), done));
    expect(await storedExpiry('s-1')).toBe(saved);

    // A request a whole interval after the save: written.
    const later = start + TOUCH_INTERVAL_MS + 5_000;
    clock.mockReturnValue(later);
    await call((done) => store.touch('s-1', sessionAt(later), done));
    expect(Math.abs((await storedExpiry('s-1')) - (later + 12 * 3_600_000))).toBeLessThan(1_000);
  });

  it('reads a live session back, and no session once it has expired', async () => {
    jest.restoreAllMocks();
    const start = Date.now();
    const user = { kind: 'member', id: 7, number: '100001', name: 'A' };
    const live = { ...(sessionAt(start) as object), user };
    await call((done) => store.set('s-3', live as never, done));
    const read = await new Promise((resolve, reject) =>
      store.get('s-3', (error, found) => (error ? reject(error) : resolve(found))),
    );
    expect(read).toEqual(JSON.parse(JSON.stringify(live)));

    await pool.query("update session set expire = now() - interval '1 second' where sid = 's-3'");
    const expired = await new Promise((resolve, reject) =>
      store.get('s-3', (error, found) => (error ? reject(error) : resolve(found))),
    );
    expect(expired).toBeNull();
  });

  it('serves a session from memory until it is written or deleted anywhere', async () => {
    jest.restoreAllMocks();
    const cache = new SessionCache(database.url);
    await cache.start();
    try {
      const cached = new SessionStore({ pool, prune: false, cache });
      const read = (sid: string) =>
        new Promise<{ user: { name: string } } | null>((resolve, reject) =>
          cached.get(sid, (error, found) => (error ? reject(error) : resolve(found as never))),
        );
      const user = { kind: 'partner', id: 3, partnerId: 1, role: 'staff', name: 'Amina' };
      const renamed = (name: string) =>
        `update session set sess = jsonb_set(sess::jsonb, '{user,name}', '"${name}"')::json
          where sid = 's-4'`;
      const signedIn = () => ({ ...(sessionAt(Date.now()) as object), user }) as never;
      await call((done) => cached.set('s-4', signedIn(), done));
      expect((await read('s-4'))?.user.name).toBe('Amina');
      // The write's own notice drops what the first read kept; the read after it keeps it.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await read('s-4'))?.user.name).toBe('Amina');

      // Changed without a notice: the copy in memory still answers.
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('set local session_replication_role = replica');
        await client.query(renamed('Quiet'));
        await client.query('commit');
      } finally {
        client.release();
      }
      expect((await read('s-4'))?.user.name).toBe('Amina');

      // Every read gets its own copy.
      const copy = await read('s-4');
      copy!.user.name = 'Changed by a request';
      expect((await read('s-4'))?.user.name).toBe('Amina');

      // Written by another instance: the notice drops it, and the next read sees the change.
      await pool.query(renamed('Nadia'));
      await withinASecond(async () => expect((await read('s-4'))?.user.name).toBe('Nadia'));

      // Signed out on another instance: gone here too.
      await pool.query("delete from session where sid = 's-4'");
      await withinASecond(async () => expect(await read('s-4')).toBeNull());

      // Signed out through this store: gone at once.
      await call((done) => cached.set('s-5', signedIn(), done));
      expect((await read('s-5'))?.user.name).toBe('Amina');
      await call((done) => cached.destroy('s-5', done));
      expect(await read('s-5')).toBeNull();
    } finally {
      await cache.stop();
    }
  });
});
