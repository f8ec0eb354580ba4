import crypto from 'node:crypto';

import { rotateSigningKey } from '../../src/credentials/keys';
import { Refusal } from '../../src/credentials/reasons';
import { signToken, verifyToken } from '../../src/credentials/tokens';
import { createTestRuntime, TestRuntime } from '../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await createTestRuntime();
});

afterEach(() => jest.restoreAllMocks());

afterAll(() => runtime.close());

const NOW = new Date('2026-12-04T10:00:00Z');

function cardToken(id: string): Promise<string> {
  return signToken(runtime.ctx.keys, {
    kind: 'card',
    id,
    holder: 'M1',
    name: 'Ahmed Bennani',
    issuedAt: new Date('2026-12-01T09:00:00Z'),
    expiresAt: new Date('2027-12-01T00:00:00Z'),
  });
}

const reasonOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: Refusal) => error.reason,
  );

describe('tokens found genuine', () => {
  it('have their signature checked once, and their kind and time on every scan', async () => {
    const { keys } = runtime.ctx;
    const token = await cardToken('genuine-card-1');
    const signatureChecks = jest.spyOn(crypto, 'verify');
    expect(keys.genuineToken(token)).toBeUndefined();

    expect((await verifyToken(keys, token, { now: NOW })).claims.jti).toBe('genuine-card-1');
    expect(signatureChecks).toHaveBeenCalledTimes(1);
    expect(keys.genuineToken(token)?.claims.sub).toBe('M1');

    expect((await verifyToken(keys, token, { now: NOW })).kind).toBe('card');
    expect(await reasonOf(verifyToken(keys, token, { now: new Date('2028-01-01T00:00:00Z') })))
      .toBe('expired');
    expect(await reasonOf(verifyToken(keys, token, { now: new Date('2026-11-30T00:00:00Z') })))
      .toBe('not_yet_valid');
    expect(await reasonOf(verifyToken(keys, token, { now: NOW, expectedKind: 'voucher' })))
      .toBe('wrong_kind');
    expect(signatureChecks).toHaveBeenCalledTimes(1);
  });

  it('never include a token whose signature fails', async () => {
    const { keys } = runtime.ctx;
    const token = await cardToken('genuine-card-2');
    const [header, payload, signature] = token.split('.');
    const flipped = signature[10] === 'A' ? 'B' : 'A';
    const forged = `${header}.${payload}.${signature.slice(0, 10)}${flipped}${signature.slice(11)}`;

    expect(await reasonOf(verifyToken(keys, forged, { now: NOW }))).toBe('bad_signature');
    expect(await reasonOf(verifyToken(keys, forged, { now: NOW }))).toBe('bad_signature');
    expect(keys.genuineToken(forged)).toBeUndefined();
  });

  it('are forgotten when the keys change, and found genuine again under the new ones', async () => {
    const { keys } = runtime.ctx;
    const token = await cardToken('genuine-card-3');
    await verifyToken(keys, token, { now: NOW });
    expect(keys.genuineToken(token)).toBeDefined();

    await rotateSigningKey(runtime.ctx.db);
    await keys.reload();
    expect(keys.genuineToken(token)).toBeUndefined();
    // The retired key still verifies what it signed.
    expect((await verifyToken(keys, token, { now: NOW })).kind).toBe('card');
    expect(keys.genuineToken(token)).toBeDefined();
  });
});
