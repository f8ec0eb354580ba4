import crypto from 'node:crypto';

import { CompactSign } from 'jose';

import { GenuineToken, KeyStore, SIGNING_ALG, SigningKey } from './keys';
import { Refusal } from './reasons';

/** Version of the claims layout, `v` in every token. */
export const FORMAT_VERSION = 1;

/** Seconds of clock difference accepted on `iat` and `exp`, both ways. */
export const CLOCK_TOLERANCE_SECONDS = 60;

/** Longest input the scanner field and the API look at; a real card URL is about 650 bytes. */
export const MAX_INPUT_LENGTH = 2048;

/** The URL path before the token in a card or voucher QR. */
export const VERIFY_PATH = '/v/';

export type CredentialKind = 'card' | 'voucher';

const KIND_CLAIM: Record<CredentialKind, string> = { card: 'c', voucher: 'v' };

/** The claims of a card or voucher token, in the order they are serialised. */
export interface Claims {
  v: number;
  /** 'c' card, 'v' voucher */
  k: string;
  /** token id: the card's or voucher's id */
  jti: string;
  /** holder: 'M<member id>' or 'D<dependant id>' */
  sub: string;
  /** holder's display name, ASCII */
  n: string;
  iat: number;
  exp: number;
}

export interface VerifiedToken {
  kind: CredentialKind;
  kid: string;
  claims: Claims;
}

/** Folds a name to printable ASCII for the token (accents dropped, other scripts left out). */
export function asciiDisplayName(name: string, maxLength = 60): string {
  return name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, maxLength);
}

/**
 * A new random token id: 64 bits, 11 base64url characters. Ids are unique in the database, so
 * the odd clash is a failed insert, never two credentials sharing an id.
 */
export function newTokenId(): string {
  return crypto.randomBytes(8).toString('base64url');
}

/** What a card or voucher token says, before it is signed. */
export interface TokenInput {
  kind: CredentialKind;
  id: string;
  holder: string;
  name: string;
  issuedAt: Date;
  expiresAt: Date;
}

/**
 * Signs a card or voucher token with the given key, by default the active key as this instance
 * knows it (see `signWithActiveKey` for issuing inside a transaction).
 */
export async function signToken(
  keys: KeyStore,
  input: TokenInput,
  signingKey: SigningKey = keys.signingKey(),
): Promise<string> {
  const { kid, key } = signingKey;
  const claims: Claims = {
    v: FORMAT_VERSION,
    k: KIND_CLAIM[input.kind],
    jti: input.id,
    sub: input.holder,
    n: asciiDisplayName(input.name),
    iat: Math.floor(input.issuedAt.getTime() / 1000),
    exp: Math.floor(input.expiresAt.getTime() / 1000),
  };

  return new CompactSign(Buffer.from(JSON.stringify(claims), 'ascii'))
    .setProtectedHeader({ alg: SIGNING_ALG, kid })
    .sign(key);
}

/**
 * Whether a token whose `exp` is `expiresAt` is expired at `now`, allowing the clock tolerance:
 * the claim is read by other clocks too (offline verifiers, other instances). The card and
 * voucher rows are checked without tolerance on the server's own clock.
 */
export function isPastExpiry(expiresAt: Date, now: Date): boolean {
  return expiresAt.getTime() + CLOCK_TOLERANCE_SECONDS * 1000 <= now.getTime();
}

/** First byte of the numeric form: which packing follows (one so far). */
const NUMERIC_FORM_MARK = 1;

/** Bytes of an ES256 signature (r and s, 32 bytes each). */
const SIGNATURE_BYTES = 64;

/**
 * The token in the digits a QR's numeric mode packs at 3⅓ bits each, where base64url text in
 * byte mode costs 8 bits a character: the same JWS in a quarter less of the QR. Its bytes are
 * the mark 0x01, the lengths of the decoded header and claims (one byte each), the header, the
 * claims and the 64-byte signature, read as one big-endian number and written in decimal.
 */
export function numericForm(token: string): string {
  const [header, payload, signature] = token.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (header.length > 255 || payload.length > 255 || signature.length !== SIGNATURE_BYTES) {
    throw new Error('token too large for the numeric form');
  }
  const bytes = Buffer.concat([
    Buffer.from([NUMERIC_FORM_MARK, header.length, payload.length]),
    header,
    payload,
    signature,
  ]);

  return BigInt(`0x${bytes.toString('hex')}`).toString(10);
}

/**
 * The compact JWS a numeric form stands for, or null when the digits are not one. Each token has
 * exactly one numeric form (no leading zeros, lengths that add up), so the JWS checks that
 * follow see what the issuer signed, character for character.
 */
export function tokenFromNumericForm(digits: string): string | null {
  if (!/^[1-9][0-9]*$/.test(digits) || digits.length > MAX_INPUT_LENGTH) {
    return null;
  }
  let hex = BigInt(digits).toString(16);
  if (hex.length % 2 === 1) {
    hex = `0${hex}`;
  }
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length < 3 || bytes[0] !== NUMERIC_FORM_MARK) {
    return null;
  }
  const headerEnd = 3 + bytes[1];
  const payloadEnd = headerEnd + bytes[2];
  if (bytes.length !== payloadEnd + SIGNATURE_BYTES) {
    return null;
  }

  return [bytes.subarray(3, headerEnd), bytes.subarray(headerEnd, payloadEnd), bytes.subarray(payloadEnd)]
    .map((part) => part.toString('base64url'))
    .join('.');
}

/**
 * The URL a card or voucher QR holds: opening it on a phone shows the verdict page. It ends in
 * the token's numeric form; `qrSegments` packs it into the smallest QR.
 */
export function credentialUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}${VERIFY_PATH}${numericForm(token)}`;
}

const SEGMENT = '[A-Za-z0-9_-]+';
// An ES256 signature is 64 bytes: 86 base64url characters, whose last one carries 2 spare bits
// that must be zero in the canonical encoding (so it is one of A, Q, g, w).
const COMPACT_JWS = new RegExp(`^(${SEGMENT})\\.(${SEGMENT})\\.([A-Za-z0-9_-]{85}[AQgw])$`);

/**
 * Pulls the token out of what a scanner or a person gave: the QR's URL, or the bare token, each
 * with the token as a compact JWS or in its numeric form. Returns the compact JWS, or null when
 * the text holds no token at all.
 */
export function extractToken(text: string): string | null {
  const trimmed = text.trim();
  let candidate = trimmed;
  if (/^https?:\/\//i.test(trimmed)) {
    // CASE: a link shared with `?lang=ar`, a `#` or a trailing slash is still the same card.
    let path: string;
    try {
      path = new URL(trimmed).pathname;
    } catch {
      return null;
    }
    const match = /\/v\/([^/]+)\/?$/i.exec(path);
    if (!match) {
      return null;
    }
    candidate = match[1];
  }
  if (/^[0-9]+$/.test(candidate)) {
    return tokenFromNumericForm(candidate);
  }

  return candidate.split('.').length === 3 ? candidate : null;
}

/** Decodes a base64url JSON segment that must be in the canonical form our issuer writes. */
function canonicalJson(segment: string, what: string): Record<string, unknown> {
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) {
    throw new Refusal('malformed', `${what}: non-canonical base64url`);
  }

  const text = bytes.toString('latin1');
  if (!/^[\x20-\x7e]*$/.test(text)) {
    throw new Refusal('malformed', `${what}: not printable ASCII`);
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Refusal('malformed', `${what}: not JSON`);
  }
  // CASE: duplicate members, white space, or reordered fields: JSON.parse would quietly accept
  // them, and two readers could disagree on what the token says. Our issuer writes one form only.
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    JSON.stringify(value) !== text
  ) {
    throw new Refusal('malformed', `${what}: not in canonical form`);
  }

  return value as Record<string, unknown>;
}

function isClaims(payload: Record<string, unknown>): payload is Claims & Record<string, unknown> {
  const keys = Object.keys(payload).join(',');

  return (
    keys === 'v,k,jti,sub,n,iat,exp' &&
    payload.v === FORMAT_VERSION &&
    (payload.k === 'c' || payload.k === 'v') &&
    typeof payload.jti === 'string' &&
    /^[A-Za-z0-9_-]{8,64}$/.test(payload.jti) &&
    typeof payload.sub === 'string' &&
    /^[MD][0-9]{1,18}$/.test(payload.sub) &&
    typeof payload.n === 'string' &&
    Number.isSafeInteger(payload.iat) &&
    Number.isSafeInteger(payload.exp)
  );
}

/**
 * Whether an ES256 signature over `data` holds for `key`. The check runs on libuv's thread pool,
 * not on the event loop: it is the costliest step of a scan, and other requests go on meanwhile.
 */
function signatureHolds(data: Buffer, key: crypto.KeyObject, signature: Buffer): Promise<boolean> {
  return new Promise((resolve, reject) => {
    crypto.verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature, (error, valid) =>
      error ? reject(error) : resolve(valid),
    );
  });
}

/**
 * Checks a token's structure, key and signature, in that order, and remembers it as genuine.
 * Throws a Refusal with the first failing reason: malformed → unknown_key → bad_signature.
 */
async function checkSignature(keys: KeyStore, token: string): Promise<GenuineToken> {
  if (token.length > MAX_INPUT_LENGTH) {
    throw new Refusal('malformed', `token of ${token.length} characters`);
  }

  const match = COMPACT_JWS.exec(token);
  if (!match) {
    throw new Refusal('malformed', 'not a compact JWS with an ES256-sized signature');
  }

  const [, headerSegment, payloadSegment, signatureSegment] = match;
  const header = canonicalJson(headerSegment, 'header');
  // CASE: `jwk`, `jku`, `x5u`, `x5c`, `crit` or any other member: keys named inside a token are
  // never trusted, and an extension we do not know must not be ignored.
  if (Object.keys(header).join(',') !== 'alg,kid' || typeof header.kid !== 'string') {
    throw new Refusal('malformed', 'header must hold exactly alg and kid');
  }

  const payload = canonicalJson(payloadSegment, 'payload');
  if (!isClaims(payload)) {
    throw new Refusal('malformed', 'claims missing, extra or of the wrong type');
  }

  const key = await keys.verificationKey(header.kid);
  if (!key) {
    throw new Refusal('unknown_key', `kid ${header.kid}`);
  }
  // The algorithm is pinned per key; the header's claim is only checked against it.
  if (header.alg !== key.alg) {
    throw new Refusal('bad_signature', `header alg ${String(header.alg)} for an ${key.alg} key`);
  }

  const valid = await signatureHolds(
    Buffer.from(`${headerSegment}.${payloadSegment}`, 'ascii'),
    key.key,
    Buffer.from(signatureSegment, 'base64url'),
  );
  if (!valid) {
    throw new Refusal('bad_signature');
  }

  const genuine: GenuineToken = { kid: key.kid, claims: payload };
  keys.rememberGenuine(token, genuine, key);

  return genuine;
}

/**
 * Verifies a card or voucher token: structure, key, signature, then time. Throws a Refusal
 * with the first failing reason, in the fixed order malformed → unknown_key → bad_signature →
 * wrong_kind → expired / not_yet_valid. Revocation and everything else needs the database.
 * A token found genuine before under the same keys skips the signature check; its kind and time
 * are checked every time.
 */
export async function verifyToken(
  keys: KeyStore,
  token: string,
  options: {
    now?: Date;
    expectedKind?: CredentialKind;
    /** false to skip the time window: an admin revoking a card only needs to know it is ours. */
    checkTime?: boolean;
  } = {},
): Promise<VerifiedToken> {
  const { kid, claims: payload } = keys.genuineToken(token) ?? (await checkSignature(keys, token));
  const kind: CredentialKind = payload.k === 'c' ? 'card' : 'voucher';
  if (options.expectedKind && options.expectedKind !== kind) {
    throw new Refusal('wrong_kind', `a ${kind} where a ${options.expectedKind} was expected`);
  }

  const now = options.now ?? new Date();
  if (options.checkTime === false) {
    return { kind, kid, claims: payload };
  }
  if (isPastExpiry(new Date(payload.exp * 1000), now)) {
    throw new Refusal('expired', `exp ${payload.exp}, now ${Math.floor(now.getTime() / 1000)}`);
  }
  if (payload.iat - CLOCK_TOLERANCE_SECONDS > Math.floor(now.getTime() / 1000)) {
    throw new Refusal('not_yet_valid', `iat ${payload.iat}, now ${Math.floor(now.getTime() / 1000)}`);
  }

  return { kind, kid, claims: payload };
}
