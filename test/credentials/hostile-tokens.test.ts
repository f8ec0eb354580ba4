import crypto from 'node:crypto';

import request from 'supertest';

import { issueCard } from '../../src/cards/service';
import { signWithActiveKey } from '../../src/credentials/issuing';
import { verifyCredential } from '../../src/redemptions/verify';
import { Refusal } from '../../src/credentials/reasons';
import {
  CLOCK_TOLERANCE_SECONDS,
  newTokenId,
  numericForm,
  verifyToken,
} from '../../src/credentials/tokens';
import { createApiKey } from '../../src/partners/service';
import { businessDate } from '../../src/time';
import { newVoucherCode } from '../../src/vouchers/repository';
import { createTestRuntime, TestRuntime } from '../support/runtime';
import { tokenOf } from './support';
import { scannedText } from '../../src/cards/qr';

let runtime: TestRuntime;
let apiKey: string;
let memberId: number;
let voucherOfferId: number;

beforeAll(async () => {
  runtime = await createTestRuntime();
  apiKey = await createApiKey(runtime.ctx.db, 'PH-GLM-01');
  memberId = (await runtime.ctx.db('members').where({ number: '100001' }).first('id')).id;
  const offer = await runtime.ctx
    .db('offers')
    .join('partners', 'partners.id', 'offers.partner_id')
    .where({ 'partners.code': 'PH-GLM-01', 'offers.voucher_required': true })
    .first('offers.id');
  voucherOfferId = offer.id;
});

afterAll(() => runtime.close());

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');

/** Signs exactly these header and payload bytes with the club's active private key. */
function signRaw(header: string, payload: string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const key = crypto.KeyObject.from(runtime.ctx.keys.signingKey().key);
  const signature = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });

  return `${input}.${b64(signature)}`;
}

function parts(token: string) {
  const [header, payload, signature] = token.split('.');

  return {
    header: Buffer.from(header, 'base64url').toString(),
    payload: Buffer.from(payload, 'base64url').toString(),
    segments: [header, payload, signature],
  };
}

/** Stores a card of member 100003 with the given validity window, as issuing would, signed. */
async function cardValid(from: Date, until: Date): Promise<string> {
  const member = await runtime.ctx.db('members').where({ number: '100003' }).first();
  const holderKey = `M${member.id}`;

  return runtime.ctx.db.transaction(async (tx) => {
    await tx('cards').where({ holder_key: holderKey }).whereNull('revoked_at').update({ revoked_at: from, revoked_reason: 'replaced' });
    const id = newTokenId();
    const signed = await signWithActiveKey(runtime.ctx.keys, tx, {
      kind: 'card', id, holder: holderKey, name: 'Rachid Ouali', issuedAt: from, expiresAt: until,
    });
    await tx('cards').insert({
      id, member_id: member.id, holder_key: holderKey, kid: signed.kid, token: signed.token,
      issued_at: from, expires_at: until,
    });

    return signed.token;
  });
}

/** Stores a voucher of member 100001 for the pharmacy's voucher offer, signed. */
async function voucherToken(): Promise<{ id: string; token: string }> {
  const now = new Date();
  const expiresOn = businessDate(new Date(now.getTime() + 30 * 86_400_000));
  const expiresAt = new Date(`${expiresOn}T23:59:59Z`);

  return runtime.ctx.db.transaction(async (tx) => {
    const id = newTokenId();
    const signed = await signWithActiveKey(runtime.ctx.keys, tx, {
      kind: 'voucher', id, holder: `M${memberId}`, name: 'Ahmed Bennani', issuedAt: now, expiresAt,
    });
    await tx('vouchers').insert({
      id, code: newVoucherCode(), offer_id: voucherOfferId, member_id: memberId,
      holder_key: `M${memberId}`, kid: signed.kid, max_uses: 1, uses: 0, expires_on: expiresOn,
      issued_at: now,
    });

    return { id, token: signed.token };
  });
}

const verify = (body: unknown) =>
  request(runtime.app).post('/api/v1/verify').set('Authorization', `Bearer ${apiKey}`).send(body as object);

interface Case {
  name: string;
  /** Builds the scanned text just before it is sent (tokens with times are signed then). */
  qr: () => Promise<string> | string;
  /** The expected reason; null for a variant that verifies (it must name the same token). */
  reason: string | null;
  /** For a spelling of the corpus card that verifies: it must resolve to the card's token id. */
  sameCard?: boolean;
}

/** Bytes written as one decimal number, as the numeric form of a token is. */
const asDecimal = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex')}`).toString(10);

/** The bytes behind a token's numeric form: mark, lengths, header, claims, signature. */
function numericBytes(token: string, mark = 1, signature?: Buffer): Buffer {
  const [header, payload, sig] = token.split('.').map((part) => Buffer.from(part, 'base64url'));

  return Buffer.concat([Buffer.from([mark, header.length, payload.length]), header, payload, signature ?? sig]);
}

const now = () => Math.floor(Date.now() / 1000);
// Through HTTP the server reads its own clock, so the time cases keep a wide margin; the exact
// boundaries are checked below with a frozen clock.
const margin = 40;

describe('a corpus of hostile and broken tokens', () => {
  let card: string;
  let cardId: string;
  let cardUrl: string;
  let voucher: { id: string; token: string };
  let kid: string;
  const cases: Case[] = [];

  beforeAll(async () => {
    // A card whose signature holds a '-' or '_', so that the '+' '/' alphabet variant differs.
    do {
      const issued = await issueCard(runtime.ctx, { memberNumber: '100002' });
      card = issued.token;
      cardId = issued.id;
      cardUrl = issued.url;
    } while (!/[-_]/.test(card.split('.')[2]));
    voucher = await voucherToken();
    kid = runtime.ctx.keys.signingKey().kid;
  });

  const header = (fields: string) => `{"alg":"ES256","kid":"${kid}"${fields}}`;
  const claims = () => parts(card).payload;
  const withSignature = (token: string, signature: string) =>
    `${token.split('.').slice(0, 2).join('.')}.${signature}`;
  const attackerKey = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signWith = (headerText: string, payloadText: string, key: crypto.KeyObject) => {
    const input = `${b64(headerText)}.${b64(payloadText)}`;
    const signature = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });

    return `${input}.${b64(signature)}`;
  };
  const publicPem = () =>
    crypto
      .createPublicKey({ key: runtime.ctx.keys.publicKeySet().keys[0] as crypto.JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' });
  const hs256 = (secret: Buffer | string, pad = false) => {
    const input = `${b64(`{"alg":"HS256","kid":"${kid}"}`)}.${card.split('.')[1]}`;
    const mac = crypto.createHmac('sha256', secret).update(input).digest();

    return `${input}.${b64(pad ? Buffer.concat([mac, Buffer.alloc(32)]) : mac)}`;
  };

  cases.push(
    // Algorithm confusion and keys named inside the token.
    { name: 'alg none, empty signature', qr: () => `${b64(`{"alg":"none","kid":"${kid}"}`)}.${card.split('.')[1]}.`, reason: 'malformed' },
    { name: 'alg none, a signature of the right length', qr: () => `${b64(`{"alg":"none","kid":"${kid}"}`)}.${card.split('.')[1]}.${card.split('.')[2]}`, reason: 'bad_signature' },
    { name: 'HS256 keyed with our public key (PEM)', qr: () => hs256(publicPem()), reason: 'malformed' },
    { name: 'HS256 keyed with our public key (JWK JSON)', qr: () => hs256(JSON.stringify(runtime.ctx.keys.publicKeySet().keys[0])), reason: 'malformed' },
    { name: 'HS256 padded to an ES256 signature length', qr: () => hs256(publicPem(), true), reason: 'bad_signature' },
    { name: 'all-zero ES256 signature', qr: () => withSignature(card, b64(Buffer.alloc(64))), reason: 'bad_signature' },
    { name: 'header alg ES384 with our ES256 key id', qr: () => signRaw(`{"alg":"ES384","kid":"${kid}"}`, claims()), reason: 'bad_signature' },
    { name: 'header alg RS256 with our key id', qr: () => signRaw(`{"alg":"RS256","kid":"${kid}"}`, claims()), reason: 'bad_signature' },
    { name: 'a key id we never issued', qr: () => signWith(`{"alg":"ES256","kid":"zzzzzzzz"}`, claims(), attackerKey.privateKey), reason: 'unknown_key' },
    { name: 'our key id, signed by another key', qr: () => signWith(header(''), claims(), attackerKey.privateKey), reason: 'bad_signature' },
    { name: 'jwk header naming the signer key', qr: () => signWith(header(`,"jwk":${JSON.stringify(attackerKey.publicKey.export({ format: 'jwk' }))}`), claims(), attackerKey.privateKey), reason: 'malformed' },
    { name: 'jku header', qr: () => signWith(header(',"jku":"https://evil.example/jwks.json"'), claims(), attackerKey.privateKey), reason: 'malformed' },
    { name: 'x5u header', qr: () => signWith(header(',"x5u":"https://evil.example/cert.pem"'), claims(), attackerKey.privateKey), reason: 'malformed' },
    { name: 'x5c header', qr: () => signWith(header(',"x5c":["MIIBszCCAVmgAwIBAgIU"]'), claims(), attackerKey.privateKey), reason: 'malformed' },
    { name: 'crit with an unknown name, signed by our key', qr: () => signRaw(header(',"crit":["np-extra"],"np-extra":1'), claims()), reason: 'malformed' },
    { name: 'typ header, signed by our key', qr: () => signRaw(header(',"typ":"JWT"'), claims()), reason: 'malformed' },
    { name: 'header members reordered, signed by our key', qr: () => signRaw(`{"kid":"${kid}","alg":"ES256"}`, claims()), reason: 'malformed' },
    // Structure.
    { name: 'empty text', qr: () => '', reason: 'malformed' },
    { name: 'dots only', qr: () => '..', reason: 'malformed' },
    { name: 'signature segment missing', qr: () => card.split('.').slice(0, 2).join('.'), reason: 'malformed' },
    { name: 'signature segment empty', qr: () => `${card.split('.').slice(0, 2).join('.')}.`, reason: 'malformed' },
    { name: 'signature cut by one character', qr: () => card.slice(0, -1), reason: 'malformed' },
    { name: 'an extra segment', qr: () => `${card}.${card.split('.')[2]}`, reason: 'malformed' },
    { name: 'five segments, like an encrypted token', qr: () => `${card}.AAAA.BBBB`, reason: 'malformed' },
    { name: '5 KB input', qr: () => card + 'A'.repeat(5 * 1024), reason: 'malformed' },
    { name: '1 MB input', qr: () => 'A'.repeat(1024 * 1024), reason: 'malformed' },
    // Characters.
    // An accented letter is what a QWERTY scanner types on an AZERTY computer: the counter is told
    // to fix the scanner.
    { name: 'an accented letter inside', qr: () => card.replace('.', 'é.'), reason: 'keyboard_layout' },
    { name: 'Arabic letters inside', qr: () => card.replace('.', 'بطاقة.'), reason: 'malformed' },
    { name: 'a NUL character inside', qr: () => card.replace('.', '\u0000.'), reason: 'malformed' },
    { name: 'a zero-width space inside', qr: () => card.replace('.', '\u200b.'), reason: 'malformed' },
    { name: 'an embedded newline', qr: () => `${card.slice(0, 40)}\n${card.slice(40)}`, reason: 'malformed' },
    { name: 'non-ASCII in the signed payload', qr: () => signRaw(header(''), claims().replace('"n":"', '"n":"É')), reason: 'malformed' },
    // JSON that two readers could understand differently.
    { name: 'duplicate kid in the header', qr: () => signRaw(`{"alg":"ES256","kid":"${kid}","kid":"${kid}"}`, claims()), reason: 'malformed' },
    { name: 'duplicate jti in the payload', qr: () => signRaw(header(''), claims().replace('"sub"', `"jti":"${voucher.id}","sub"`)), reason: 'malformed' },
    { name: 'white space in the payload', qr: () => signRaw(header(''), claims().replace(',', ', ')), reason: 'malformed' },
    { name: 'an extra claim (a CIN)', qr: () => signRaw(header(''), claims().replace('}', ',"cin":"JA123456"}')), reason: 'malformed' },
    { name: 'an unknown format version', qr: () => signRaw(header(''), claims().replace('"v":1', '"v":2')), reason: 'malformed' },
    { name: 'a token id with path characters', qr: () => signRaw(header(''), claims().replace(/"jti":"[^"]+"/, '"jti":"../../cards/x"')), reason: 'malformed' },
    { name: 'a payload that is a JSON array', qr: () => signRaw(header(''), '[1,2,3]'), reason: 'malformed' },
    // Kinds and holders.
    { name: 'kind flipped from voucher to card, unsigned', qr: () => { const p = parts(voucher.token); return `${p.segments[0]}.${b64(p.payload.replace('"k":"v"', '"k":"c"'))}.${p.segments[2]}`; }, reason: 'bad_signature' },
    { name: 'a voucher presented as a card (signed)', qr: () => signRaw(header(''), parts(voucher.token).payload.replace('"k":"v"', '"k":"c"')), reason: 'unknown_credential' },
    { name: 'a card presented as a voucher (signed)', qr: () => signRaw(header(''), claims().replace('"k":"c"', '"k":"v"')), reason: 'unknown_credential' },
    { name: 'a genuine card id for another holder (signed)', qr: () => signRaw(header(''), claims().replace(/"sub":"M\d+"/, '"sub":"M999999"')), reason: 'unknown_credential' },
    // Time.
    { name: 'expired an hour ago', qr: () => cardValid(new Date((now() - 86_400) * 1000), new Date((now() - 3600) * 1000)), reason: 'expired' },
    { name: 'issued an hour from now', qr: () => cardValid(new Date((now() + 3600) * 1000), new Date((now() + 86_400) * 1000)), reason: 'not_yet_valid' },
    { name: 'issued just inside the clock tolerance', qr: () => cardValid(new Date((now() + CLOCK_TOLERANCE_SECONDS - margin) * 1000), new Date((now() + 86_400) * 1000)), reason: null },
    { name: 'issued just outside the clock tolerance', qr: () => cardValid(new Date((now() + CLOCK_TOLERANCE_SECONDS + margin) * 1000), new Date((now() + 86_400) * 1000)), reason: 'not_yet_valid' },
    // Online, the card's row is expired on the server's own clock, tolerance or not (the
    // tolerance on `exp` is for offline verifiers: see the frozen-clock test below).
    { name: 'expired just inside the clock tolerance', qr: () => cardValid(new Date((now() - 86_400) * 1000), new Date((now() - CLOCK_TOLERANCE_SECONDS + margin) * 1000)), reason: 'expired' },
    { name: 'expired just outside the clock tolerance', qr: () => cardValid(new Date((now() - 86_400) * 1000), new Date((now() - CLOCK_TOLERANCE_SECONDS - margin) * 1000)), reason: 'expired' },
  );

  // Other spellings of one genuine token: only the canonical one is accepted.
  const variants: Case[] = [
    { name: 'base64 padding on the payload', qr: () => card.replace(/\.([^.]+)\./, '.$1=.'), reason: 'malformed' },
    { name: 'padding on the signature', qr: () => `${card}==`, reason: 'malformed' },
    { name: "'+' and '/' alphabet in the signature", qr: () => withSignature(card, card.split('.')[2].replace(/-/g, '+').replace(/_/g, '/')), reason: 'malformed' },
    { name: 'standard base64 of the signature bytes', qr: () => withSignature(card, Buffer.from(card.split('.')[2], 'base64url').toString('base64')), reason: 'malformed' },
    { name: 'spare low bits flipped in the last signature character', qr: () => card.slice(0, -1) + String.fromCharCode(card.charCodeAt(card.length - 1) + 1), reason: 'malformed' },
    { name: 'spare low bits all set in the last signature character', qr: () => card.slice(0, -1) + String.fromCharCode(card.charCodeAt(card.length - 1) + 3), reason: 'malformed' },
    { name: 'a scanner adds a carriage return and line feed', qr: () => `${cardUrl}\r\n`, reason: null, sameCard: true },
    { name: 'the URL scheme in capitals', qr: () => cardUrl.replace('http://', 'HTTP://'), reason: null, sameCard: true },
    { name: 'the QR text as a scanner reads it (capitals, numeric form)', qr: () => scannedText(cardUrl), reason: null, sameCard: true },
    { name: 'the bare numeric form', qr: () => numericForm(card), reason: null, sameCard: true },
    { name: 'the URL ending in the compact JWS instead', qr: () => `${cardUrl.slice(0, cardUrl.lastIndexOf('/') + 1)}${card}`, reason: null, sameCard: true },
    { name: 'numeric form with a leading zero', qr: () => `0${numericForm(card)}`, reason: 'malformed' },
    { name: 'numeric form with its last digit dropped', qr: () => numericForm(card).slice(0, -1), reason: 'malformed' },
    { name: 'numeric form with a digit more', qr: () => `${numericForm(card)}7`, reason: 'malformed' },
    { name: 'numeric form of an unknown packing (mark 2)', qr: () => asDecimal(numericBytes(card, 2)), reason: 'malformed' },
    { name: 'numeric form with a 65-byte signature', qr: () => asDecimal(numericBytes(card, 1, Buffer.concat([Buffer.from(card.split('.')[2], 'base64url'), Buffer.from([0])]))), reason: 'malformed' },
    { name: 'numeric form with an all-zero signature', qr: () => asDecimal(numericBytes(card, 1, Buffer.alloc(64))), reason: 'bad_signature' },
    { name: 'numeric form with a space in the middle', qr: () => numericForm(card).replace(/^(.{100})/, '$1 '), reason: 'malformed' },
    { name: '5 KB of digits', qr: () => `1${'0'.repeat(5 * 1024)}`, reason: 'malformed' },
  ];
  cases.push(...variants);

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it('refuses every hostile token with its reason and HTTP 200, never a 5xx', async () => {
    const outcomes: { name: string; status: number; reason: string | null }[] = [];
    for (const entry of cases) {
      const qr = await entry.qr();
      const response = await verify({ qr });
      outcomes.push({ name: entry.name, status: response.status, reason: response.body.reason });
      expect({ name: entry.name, status: response.status }).toEqual({ name: entry.name, status: 200 });
      expect({ name: entry.name, reason: response.body.reason }).toEqual({ name: entry.name, reason: entry.reason });
      if (entry.reason === null) {
        expect(response.body.verdict).toBe('valid');
        if (entry.sameCard) {
          expect((await verifyCredential(runtime.ctx, { qr })).tokenId).toBe(cardId);
        }
        continue;
      }
      expect(response.body.verdict).toBe('refused');
      // A plain message for the person; the technical detail goes to the log only.
      expect(typeof response.body.message).toBe('string');
      expect(response.body).not.toHaveProperty('detail');
      expect(JSON.stringify(response.body)).not.toMatch(/non-canonical|header must|claims missing|kid /);
    }
    expect(outcomes.filter((outcome) => outcome.status >= 500)).toEqual([]);
    const refused = outcomes.filter((outcome) => outcome.reason !== null).length;
    process.stdout.write(`hostile corpus: ${outcomes.length} cases, ${refused} refused, ` +
      `${outcomes.length - refused} genuine variants valid, 0 responses 5xx\n`);
  });

  it('shows the public page of every hostile token that fits in a URL as refused, never a 5xx', async () => {
    for (const entry of cases) {
      const qr = await entry.qr();
      if (qr.length > 8 * 1024 || entry.reason === null || qr === '') {
        continue;
      }
      const response = await request(runtime.app).get(`/v/${encodeURIComponent(tokenOf(qr))}`);
      expect({ name: entry.name, status: response.status < 500 }).toEqual({ name: entry.name, status: true });
      if (response.status === 200) {
        expect(response.text).toContain('Carte non valable');
      }
    }
  });

  it('answers 400, not a verdict, for a body that is not a JSON object', async () => {
    const post = (body: string, language = 'fr') =>
      request(runtime.app)
        .post('/api/v1/verify')
        .set('Authorization', `Bearer ${apiKey}`)
        .set('Content-Type', 'application/json')
        .set('Accept-Language', language)
        .send(body);
    for (const body of ['{"qr": ', 'qr=abc']) {
      const response = await post(body);
      expect({ body, status: response.status, error: response.body.error }).toEqual({
        body,
        status: 400,
        error: 'invalid_json',
      });
    }
    // Well-formed JSON that is not an object: the syntax is fine, the shape is not.
    for (const body of ['[1,2]', 'null', '"x"', '12']) {
      const response = await post(body);
      expect({ body, status: response.status, error: response.body.error }).toEqual({
        body,
        status: 400,
        error: 'json_object_required',
      });
      expect(response.body.message).toContain('objet JSON');
      expect(response.body.message).not.toContain("n'est pas du JSON valide");
    }
    const arabic = await post('[1,2]', 'ar');
    expect(arabic.body.message).toContain('كائن JSON');
    const number = await verify({ qr: 12345 });
    expect(number.status).toBe(200);
    expect(number.body.reason).toBe('malformed');
  });

  it('resolves a verified variant to the same token id, and never redeems a voucher twice', async () => {
    const fresh = await voucherToken();
    const url = `${runtime.ctx.config.publicBaseUrl}/v/${fresh.token}`;
    const redeem = (qr: string, key: string) =>
      request(runtime.app)
        .post('/api/v1/redemptions')
        .set('Authorization', `Bearer ${apiKey}`)
        .send({ qr, offerId: voucherOfferId, grossCents: 5_000, idempotencyKey: key });

    const first = await redeem(url, 'hostile-variant-0001');
    expect(first.status).toBe(201);
    const spellings = [
      `${url}\r\n`,
      url.replace('http://', 'HTTP://'),
      fresh.token,
      `${fresh.token}==`,
      fresh.token.slice(0, -1) + String.fromCharCode(fresh.token.charCodeAt(fresh.token.length - 1) + 1),
      withSignature(fresh.token, fresh.token.split('.')[2].replace(/-/g, '+').replace(/_/g, '/')),
    ];
    for (const [index, qr] of spellings.entries()) {
      // Whatever spelling verifies names the one voucher; every other spelling is malformed.
      const verdict = await verifyCredential(runtime.ctx, { qr });
      expect([null, fresh.id]).toContain(verdict.tokenId);
      expect(verdict.tokenId === null ? verdict.reason : 'named').toMatch(/^(malformed|named)$/);
      const again = await redeem(qr, `hostile-variant-${index + 1}000`);
      expect({ qr, status: again.status }).toEqual({ qr, status: 409 });
    }
    const rows = await runtime.ctx.db('redemptions').where({ voucher_id: fresh.id, kind: 'redeem' });
    expect(rows).toHaveLength(1);
    const stored = await runtime.ctx.db('vouchers').where({ id: fresh.id }).first();
    expect(stored.uses).toBe(1);
  });

  it('puts the boundaries exactly at the clock tolerance, with a frozen clock', async () => {
    const issuedAt = new Date('2026-12-03T12:00:00Z');
    const expiresAt = new Date('2026-12-04T00:00:00Z');
    const qr = await cardValid(issuedAt, expiresAt);
    const at = (instant: Date, seconds: number) => new Date(instant.getTime() + seconds * 1000);
    const reasonAt = async (now: Date) => (await verifyCredential(runtime.ctx, { qr, now })).reason;
    const tokenReasonAt = (now: Date) =>
      verifyToken(runtime.ctx.keys, qr, { now }).then(() => null, (error: Refusal) => error.reason);

    expect(await reasonAt(at(issuedAt, -CLOCK_TOLERANCE_SECONDS))).toBeNull();
    expect(await reasonAt(at(issuedAt, -CLOCK_TOLERANCE_SECONDS - 1))).toBe('not_yet_valid');
    // The token's `exp` allows the tolerance (what an offline verifier applies)...
    expect(await tokenReasonAt(at(expiresAt, CLOCK_TOLERANCE_SECONDS - 1))).toBeNull();
    expect(await tokenReasonAt(at(expiresAt, CLOCK_TOLERANCE_SECONDS))).toBe('expired');
    // ...while the online check also holds the card's row to the end of its last day exactly.
    expect(await reasonAt(at(expiresAt, -1))).toBeNull();
    expect(await reasonAt(expiresAt)).toBe('expired');
  });

  it('keeps a genuine card valid throughout (the corpus does not rely on a broken card)', async () => {
    const response = await verify({ qr: card });
    expect(response.body).toMatchObject({ verdict: 'valid', reason: null });
    expect(cardId).toHaveLength(11);
  });
});
