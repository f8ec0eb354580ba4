import { Context } from '../context';
import { signWithActiveKey } from '../credentials/issuing';
import { recordRevocation } from '../credentials/revocation';
import { credentialUrl, newTokenId } from '../credentials/tokens';
import { Queryable } from '../db';
import { AppError, notFound } from '../errors';
import {
  DependantRow,
  findDependant,
  findMemberByNumber,
  fullName,
  latestPaidDay,
  MemberRow,
} from '../members/repository';
import { endOfBusinessDay } from '../time';

export interface CardRow {
  id: string;
  member_id: number;
  dependant_id: number | null;
  holder_key: string;
  kid: string;
  issued_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
  /** The signed token as issued; null for cards issued before tokens were kept. */
  token: string | null;
}

export interface IssuedCard {
  id: string;
  token: string;
  /** The QR text: a URL on the club's public base URL ending in the token. */
  url: string;
  member: MemberRow;
  dependant: DependantRow | null;
  holderName: string;
  expiresAt: Date;
  /** How many earlier cards of the holder this one revoked. */
  replaced: number;
}

export function memberHolderKey(memberId: number): string {
  return `M${memberId}`;
}

export function dependantHolderKey(dependantId: number): string {
  return `D${dependantId}`;
}

/**
 * Issues a card to a member, or to one of their dependants, valid until the end of the member's
 * latest paid period. The holder's previous card is revoked in the same transaction.
 */
export async function issueCard(
  ctx: Context,
  input: { memberNumber: string; dependantId?: number; now?: Date },
): Promise<IssuedCard> {
  const now = input.now ?? new Date();
  const member = await findMemberByNumber(ctx.db, input.memberNumber);
  if (!member) {
    throw notFound('member_not_found');
  }

  let dependant: DependantRow | null = null;
  if (input.dependantId !== undefined) {
    dependant = (await findDependant(ctx.db, input.dependantId)) ?? null;
    if (!dependant || dependant.member_id !== member.id) {
      throw notFound('dependant_not_found');
    }
  }

  if (member.status !== 'active') {
    throw new AppError(409, 'member_not_active');
  }

  const lastPaidDay = await latestPaidDay(ctx.db, member.id);
  if (!lastPaidDay || endOfBusinessDay(lastPaidDay) <= now) {
    throw new AppError(409, 'no_paid_membership');
  }

  const holderKey = dependant ? dependantHolderKey(dependant.id) : memberHolderKey(member.id);
  const holderName = fullName(dependant ?? member);
  const expiresAt = endOfBusinessDay(lastPaidDay);
  const id = newTokenId();
  let replaced = 0;
  const token = await ctx.db.transaction(async (tx) => {
    const previous: CardRow[] = await tx('cards')
      .where({ holder_key: holderKey })
      .whereNull('revoked_at')
      .forUpdate();
    replaced = previous.length;
    for (const card of previous) {
      await tx('cards').where({ id: card.id }).update({ revoked_at: now, revoked_reason: 'replaced' });
      await recordRevocation(tx, {
        tokenId: card.id,
        kind: 'card',
        reason: 'replaced',
        expiresAt: card.expires_at,
        now,
      });
    }

    const signed = await signWithActiveKey(ctx.keys, tx, {
      kind: 'card',
      id,
      holder: holderKey,
      name: holderName,
      issuedAt: now,
      expiresAt,
    });
    await tx('cards').insert({
      id,
      member_id: member.id,
      dependant_id: dependant?.id ?? null,
      holder_key: holderKey,
      kid: signed.kid,
      token: signed.token,
      issued_at: now,
      expires_at: expiresAt,
    });

    return signed.token;
  });

  return {
    id,
    token,
    url: credentialUrl(ctx.config.publicBaseUrl, token),
    member,
    dependant,
    holderName,
    expiresAt,
    replaced,
  };
}
