import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { revokeCard } from '../../src/credentials/revocation';
import { createTestRuntime, TestRuntime } from '../support/runtime';

// An offline verifier written from docs/credentials.md alone: Node's crypto and the JWKS JSON,
// no JOSE library and nothing from src/credentials.

const CLOCK_TOLERANCE_SECONDS = 60;
const CLAIM_ORDER = 'v,k,jti,sub,n,iat,exp';

interface Jwk {
  kty: string;
  crv: string;
  x: string;
  y: string;
  kid: string;
  alg: string;
}

function decodeSegment(segment: string): Buffer {
  const bytes = Buffer.from(segment, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(segment) || bytes.toString('base64url') !== segment) {
    throw new Error('malformed');
  }

  return bytes;
}

function canonicalJson(bytes: Buffer): Record<string, unknown> {
  const text = bytes.toString('latin1');
  if (!/^[\x20-\x7e]*$/.test(text)) {
    throw new Error('malformed');
  }
  const value = JSON.parse(text);
  if (JSON.stringify(value) !== text) {
    throw new Error('malformed');
  }

  return value;
}

/** The compact JWS of a numeric form (docs/credentials.md, section "What a QR holds"). */
function fromNumericForm(digits: string): string {
  if (digits.startsWith('0')) {
    throw new Error('malformed');
  }
  const hex = BigInt(digits).toString(16);
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  if (bytes[0] !== 1 || bytes.length !== 3 + bytes[1] + bytes[2] + 64) {
    throw new Error('malformed');
  }
  const header = bytes.subarray(3, 3 + bytes[1]);
  const claims = bytes.subarray(3 + bytes[1], 3 + bytes[1] + bytes[2]);
  const signature = bytes.subarray(3 + bytes[1] + bytes[2]);

  return [header, claims, signature].map((part) => part.toString('base64url')).join('.');
}

/** The verifier of docs/credentials.md, section "Verifying a token". */
function verifyOffline(qrText: string, jwks: { keys: Jwk[] }, nowSeconds: number) {
  const last = qrText.trim().replace(/^https?:\/\/.*\/v\//i, '');
  let token: string;
  try {
    token = /^[0-9]+$/.test(last) ? fromNumericForm(last) : last;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const segments = token.split('.');
  if (segments.length !== 3) {
    return { ok: false, reason: 'malformed' };
  }
  try {
    const header = canonicalJson(decodeSegment(segments[0]));
    const claims = canonicalJson(decodeSegment(segments[1]));
    const signature = decodeSegment(segments[2]);
    if (Object.keys(header).join(',') !== 'alg,kid' || Object.keys(claims).join(',') !== CLAIM_ORDER) {
      return { ok: false, reason: 'malformed' };
    }
    if (signature.length !== 64) {
      return { ok: false, reason: 'malformed' };
    }
    const jwk = jwks.keys.find((key) => key.kid === header.kid);
    if (!jwk) {
      return { ok: false, reason: 'unknown_key' };
    }
    if (jwk.alg !== 'ES256' || header.alg !== 'ES256') {
      return { ok: false, reason: 'bad_signature' };
    }
    const key = crypto.createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
    const signed = Buffer.from(`${segments[0]}.${segments[1]}`, 'ascii');
    if (!crypto.verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
      return { ok: false, reason: 'bad_signature' };
    }
    if ((claims.exp as number) + CLOCK_TOLERANCE_SECONDS <= nowSeconds) {
      return { ok: false, reason: 'expired' };
    }
    if ((claims.iat as number) - CLOCK_TOLERANCE_SECONDS > nowSeconds) {
      return { ok: false, reason: 'not_yet_valid' };
    }

    return { ok: true, claims };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}

/** The revocation list of docs/credentials.md, section "Revocation list", checked the same way. */
function readRevocationPage(jws: string, jwks: { keys: Jwk[] }) {
  const [h, p, s] = jws.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const jwk = jwks.keys.find((key) => key.kid === header.kid)!;
  const key = crypto.createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
  const valid = crypto.verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));

  return { valid, header, page: JSON.parse(Buffer.from(p, 'base64url').toString()) };
}

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterAll(() => runtime.close());

/** The worked example of docs/credentials.md: its token and its key set. */
function workedExample(): { token: string; jwks: { keys: Jwk[] }; url: string } {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/credentials.md'), 'utf8');
  const example = doc.slice(doc.indexOf('## Worked example'));
  const blocks = [...example.matchAll(/```(?:json)?\n([\s\S]*?)```/g)].map((match) => match[1].trim());

  return { token: blocks[0], jwks: JSON.parse(blocks[1]), url: blocks[2] };
}

describe('an offline verifier built from the format document alone', () => {
  it("verifies the document's worked example with the document's key set", () => {
    const { token, jwks, url } = workedExample();
    const issuedAt = 1796299200;
    const verified = {
      ok: true,
      claims: { v: 1, k: 'c', jti: 'q3ZkR8vW1xY', sub: 'D2', n: 'Youssef Bennani', iat: issuedAt, exp: 1830297600 },
    };
    expect(verifyOffline(token, jwks, issuedAt)).toEqual(verified);
    expect(url).toMatch(/^https:\/\/nadipass\.ma\/v\/[0-9]+$/);
    expect(verifyOffline(url, jwks, issuedAt)).toEqual(verified);
    // As a scanner reads it from the QR: scheme, host and /v/ in capitals.
    expect(verifyOffline(url.replace('https://nadipass.ma/v/', 'HTTPS://NADIPASS.MA/V/'), jwks, issuedAt)).toEqual(verified);
    expect(verifyOffline(`${url}1`, jwks, issuedAt)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyOffline(token, jwks, 1830297600 + 60)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyOffline(token.replace('.', 'A.'), jwks, issuedAt).ok).toBe(false);
  });

  it('verifies our cards with Node crypto and the published JWKS, and refuses a tampered one', async () => {
    const now = new Date('2026-12-03T12:00:00Z');
    const jwks = JSON.parse((await request(runtime.app).get('/.well-known/jwks.json')).text);
    const card = await issueCard(runtime.ctx, { memberNumber: '100001', now });
    const nowSeconds = Math.floor(now.getTime() / 1000);

    const result = verifyOffline(card.url, jwks, nowSeconds);
    expect(result).toMatchObject({ ok: true, claims: { v: 1, k: 'c', jti: card.id, n: 'Ahmed Bennani' } });
    expect(result.claims!.sub).toMatch(/^M\d+$/);
    expect(result.claims!.exp).toBe(Math.floor(card.expiresAt.getTime() / 1000));

    const [header, payload, signature] = card.token.split('.');
    const forgedClaims = Buffer.from(payload, 'base64url').toString().replace('Ahmed', 'Ahmad');
    const forged = `${header}.${Buffer.from(forgedClaims).toString('base64url')}.${signature}`;
    expect(verifyOffline(forged, jwks, nowSeconds)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyOffline(card.token, jwks, result.claims!.exp as number + 61)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyOffline(card.token, { keys: [] }, nowSeconds)).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('reads the signed revocation list with the same keys and finds a revoked card in it', async () => {
    const card = await issueCard(runtime.ctx, { memberNumber: '100003' });
    await revokeCard(runtime.ctx, { cardId: card.id, reason: 'stolen' });
    const jwks = JSON.parse((await request(runtime.app).get('/.well-known/jwks.json')).text);
    const response = await request(runtime.app).get('/api/v1/revocations?since=0');

    const { valid, header, page } = readRevocationPage(response.text, jwks);
    expect(valid).toBe(true);
    expect(header).toEqual({ alg: 'ES256', kid: runtime.ctx.keys.signingKey().kid, typ: 'nadipass-revocations' });
    expect(page.entries.map((entry: { id: string }) => entry.id)).toContain(card.id);
    // A verifier that holds the list refuses the revoked card though its signature is good.
    const revoked = new Set(page.entries.map((entry: { id: string }) => entry.id));
    const offline = verifyOffline(card.url, jwks, Math.floor(Date.now() / 1000));
    expect(offline.ok).toBe(true);
    expect(revoked.has(offline.claims!.jti as string)).toBe(true);
  });
});
