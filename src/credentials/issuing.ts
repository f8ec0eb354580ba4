import { Queryable } from '../db';
import { KeyStore } from './keys';
import { signToken, TokenInput } from './tokens';

/** A freshly signed token and the key id that signed it (stored with the card or voucher row). */
export interface SignedToken {
  token: string;
  kid: string;
}

/**
 * Signs a card or voucher inside the transaction that stores it, with a key the database still
 * holds as active. The key's row is share-locked until the transaction ends, so a rotation on any
 * instance waits for this issue to commit and counts its expiry when it sets how long the retired
 * key stays published. An instance that has not yet seen a rotation reloads its keys and signs
 * again, rather than sign with a retired key.
 */
export async function signWithActiveKey(
  keys: KeyStore,
  tx: Queryable,
  input: TokenInput,
): Promise<SignedToken> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const signingKey = keys.signingKey();
    const row = await tx('signing_keys').where({ kid: signingKey.kid }).forShare().first('status');
    if (row?.status === 'active') {
      return { token: await signToken(keys, input, signingKey), kid: signingKey.kid };
    }
    await keys.reload();
  }

  throw new Error('The signing key was retired twice while a card or voucher was being issued');
}
