import crypto from 'node:crypto';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, JWK } from 'jose';
import { LRUCache } from 'lru-cache';

import { Queryable } from '../db';
import { endOfBusinessDay } from '../time';
import type { Claims } from './tokens';

export const SIGNING_ALG = 'ES256';

/** How long a token naming an unknown key id waits before it may trigger another key reload. */
export const UNKNOWN_KID_RELOAD_COOLDOWN_MS = 10_000;

/** How often each instance re-reads the key table, so a rotation reaches it without a restart. */
export const KEY_REFRESH_INTERVAL_MS = 3_000;

export interface VerificationKey {
  kid: string;
  alg: string;
  key: crypto.KeyObject;
  publicJwk: JWK;
  verifyUntil: Date | null;
  active: boolean;
}

/** What a token says once its structure and signature are checked (see verifyToken). */
export interface GenuineToken {
  kid: string;
  claims: Readonly<Claims>;
}

/** Genuine tokens remembered; the least recently scanned go first. */
const GENUINE_TOKENS_KEPT = 20_000;

export interface SigningKey {
  kid: string;
  key: CryptoKey;
}

interface KeyRow {
  kid: string;
  alg: string;
  public_jwk: JWK;
  private_jwk: JWK;
  status: 'active' | 'retired';
  verify_until: Date | null;
}

/**
 * A short key id: the first 4 characters (24 bits) of the key's RFC 7638 thumbprint. Every token
 * carries it, and every character counts in the QR; the club holds a handful of keys, and a new
 * key whose id is already taken is simply drawn again.
 */
async function keyIdFor(publicJwk: JWK): Promise<string> {
  return (await calculateJwkThumbprint(publicJwk, 'sha256')).slice(0, 4);
}

/** Creates a new ES256 key pair as a table row (not yet stored), with a key id not yet used. */
async function newKeyRow(db: Queryable): Promise<Omit<KeyRow, 'status' | 'verify_until'>> {
  for (;;) {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await keyIdFor(publicJwk);
    if (!(await db('signing_keys').where({ kid }).first('kid'))) {
      return { kid, alg: SIGNING_ALG, public_jwk: publicJwk, private_jwk: await exportJWK(privateKey) };
    }
  }
}

/**
 * The club's keys as this instance knows them: verification keys by id and the active signing
 * key. The database is the source of truth; every instance re-reads it every few seconds and
 * when a token names a key id it has not seen (at most once per cool-down).
 */
export class KeyStore {
  private verificationKeys = new Map<string, VerificationKey>();
  private signing: SigningKey | null = null;
  private lastUnknownKidReload = 0;
  private timer: NodeJS.Timeout | null = null;
  private fingerprint = '';
  // Tokens whose signature held under the keys loaded now: a signature that holds once holds for
  // good under the same key, and a card is scanned again at each step of the counter's flow.
  private readonly genuine = new LRUCache<string, GenuineToken>({ max: GENUINE_TOKENS_KEPT });

  constructor(private readonly db: Queryable) {}

  /** Makes sure an active key exists (creating the first one), then loads the keys. */
  async init(): Promise<void> {
    const active = await this.db('signing_keys').where({ status: 'active' }).first('kid');
    if (!active) {
      const row = await newKeyRow(this.db);
      // CASE: two instances starting on an empty database: the unique index lets one key win.
      await this.db.raw(
        `insert into signing_keys (kid, alg, public_jwk, private_jwk, status)
         values (?, ?, ?, ?, 'active') on conflict do nothing`,
        [row.kid, row.alg, JSON.stringify(row.public_jwk), JSON.stringify(row.private_jwk)],
      );
    }
    await this.reload();
  }

  /** Re-reads the key table; cheap when nothing changed. */
  async reload(): Promise<void> {
    const rows: KeyRow[] = await this.db('signing_keys').select('*').orderBy('created_at');
    const fingerprint = rows
      .map((row) => `${row.kid}:${row.status}:${row.verify_until?.toISOString() ?? ''}`)
      .join('|');
    if (fingerprint === this.fingerprint) {
      return;
    }

    const keys = new Map<string, VerificationKey>();
    let signing: SigningKey | null = null;
    for (const row of rows) {
      keys.set(row.kid, {
        kid: row.kid,
        alg: row.alg,
        key: crypto.createPublicKey({ key: row.public_jwk as crypto.JsonWebKey, format: 'jwk' }),
        publicJwk: row.public_jwk,
        verifyUntil: row.verify_until,
        active: row.status === 'active',
      });
      if (row.status === 'active') {
        signing = { kid: row.kid, key: (await importJWK(row.private_jwk, row.alg)) as CryptoKey };
      }
    }
    this.verificationKeys = keys;
    this.signing = signing;
    this.fingerprint = fingerprint;
    this.genuine.clear();
  }

  /** Keeps this instance in step with rotations made elsewhere. */
  startRefreshing(intervalMs = KEY_REFRESH_INTERVAL_MS): void {
    this.timer = setInterval(() => {
      this.reload().catch(() => {
        // NOTE: a failed refresh keeps the keys we have; the next tick tries again.
      });
    }, intervalMs);
    this.timer.unref();
  }

  stopRefreshing(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** The key a token names, reloading once per cool-down when the id is new to this instance. */
  async verificationKey(kid: string, now = Date.now()): Promise<VerificationKey | null> {
    const known = this.verificationKeys.get(kid);
    if (known) {
      return known;
    }
    if (now - this.lastUnknownKidReload < UNKNOWN_KID_RELOAD_COOLDOWN_MS) {
      return null;
    }

    this.lastUnknownKidReload = now;
    await this.reload();

    return this.verificationKeys.get(kid) ?? null;
  }

  /** A token found genuine under the keys loaded now, if it was checked before. */
  genuineToken(token: string): GenuineToken | undefined {
    return this.genuine.get(token);
  }

  /**
   * Remembers a token whose structure and signature were just checked with `key`, unless the
   * keys were reloaded meanwhile.
   */
  rememberGenuine(token: string, genuine: GenuineToken, key: VerificationKey): void {
    if (this.verificationKeys.get(genuine.kid) === key) {
      this.genuine.set(token, { kid: genuine.kid, claims: Object.freeze({ ...genuine.claims }) });
    }
  }

  signingKey(): SigningKey {
    if (!this.signing) {
      throw new Error('No active signing key is loaded: KeyStore.init() has not run');
    }

    return this.signing;
  }

  /**
   * The public keys an offline verifier needs: the active key and every retired key until the
   * last card or voucher it signed has expired.
   */
  publicKeySet(now = new Date()): { keys: JWK[] } {
    const keys = [...this.verificationKeys.values()]
      .filter((key) => key.active || (key.verifyUntil !== null && key.verifyUntil > now))
      .map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.alg, use: 'sig' }));

    return { keys };
  }
}

/**
 * Makes a new active key and retires the previous one, which keeps verifying until everything
 * it signed has expired. Returns the new key id. Other instances pick it up within seconds.
 */
export async function rotateSigningKey(db: Queryable): Promise<string> {
  let kid = '';
  await db.transaction(async (tx) => {
    const previous = await tx('signing_keys').where({ status: 'active' }).forUpdate().first();
    if (previous) {
      const lastCard = await tx('cards').where({ kid: previous.kid }).max('expires_at as at').first();
      const lastVoucher = await tx('vouchers')
        .where({ kid: previous.kid })
        .max('expires_on as on')
        .first();
      const candidates = [
        lastCard?.at ? new Date(lastCard.at) : null,
        lastVoucher?.on ? endOfBusinessDay(lastVoucher.on) : null,
      ].filter((date): date is Date => date !== null);
      const verifyUntil = candidates.length
        ? new Date(Math.max(...candidates.map((date) => date.getTime())))
        : new Date();
      await tx('signing_keys')
        .where({ kid: previous.kid })
        .update({ status: 'retired', retired_at: tx.fn.now(), verify_until: verifyUntil });
    }
    // Drawn under the lock on the active key, so two rotations at once cannot pick the same id.
    const row = await newKeyRow(tx);
    kid = row.kid;
    await tx('signing_keys').insert({
      kid: row.kid,
      alg: row.alg,
      public_jwk: JSON.stringify(row.public_jwk),
      private_jwk: JSON.stringify(row.private_jwk),
      status: 'active',
    });
  });

  return kid;
}
