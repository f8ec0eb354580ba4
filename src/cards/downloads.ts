import type { TFunction } from 'i18next';

import { Context } from '../context';
import { credentialUrl } from '../credentials/tokens';
import { AppError } from '../errors';
import { findDependant, findMemberById, fullName } from '../members/repository';
import { businessDate, formatDate } from '../time';
import { CardRow } from './service';
import type { CardFace } from './svg';

export const CARD_FORMATS = ['svg', 'png', 'pdf'] as const;
export type CardFormat = (typeof CARD_FORMATS)[number];

/** A file to send: its bytes, type and a name for the browser's download. */
export interface CardFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

/** French and Arabic texts, for a card that shows both. */
export interface CardTranslators {
  fr: TFunction;
  ar: TFunction;
}

/** The holder's current (not revoked) card, or null when none was issued or it was revoked. */
export async function currentCard(ctx: Context, holderKey: string): Promise<CardRow | null> {
  const card = await ctx.db<CardRow>('cards').where({ holder_key: holderKey }).whereNull('revoked_at').first();

  return card ?? null;
}

/** What the card face shows for a stored card: both scripts, number, last valid day, QR. */
export async function cardFace(ctx: Context, card: CardRow, t: CardTranslators): Promise<CardFace> {
  const member = await findMemberById(ctx.db, card.member_id);
  const dependant = card.dependant_id === null ? null : await findDependant(ctx.db, card.dependant_id);
  if (!member || !card.token) {
    throw new AppError(404, 'card_not_found', 'credentials.errors.card_not_found');
  }

  const person = dependant ?? member;
  const memberName = fullName(member);
  // The card is valid through the last local day before its expiry instant.
  const lastDay = businessDate(new Date(card.expires_at.getTime() - 1));

  return {
    holderNameLatin: fullName(person),
    holderNameArabic: person.full_name_ar,
    membershipNumber: member.number,
    relation: dependant
      ? {
          fr: t.fr(`verdict.relation.${dependant.relation}`, { member: memberName }),
          ar: t.ar(`verdict.relation.${dependant.relation}`, { member: member.full_name_ar ?? memberName }),
        }
      : null,
    validUntil: { fr: formatDate(lastDay, 'fr'), ar: formatDate(lastDay, 'ar') },
    qrText: credentialUrl(ctx.config.publicBaseUrl, card.token),
    labels: {
      club: t.fr('app.club'),
      clubAr: t.ar('app.club'),
      number: t.fr('credentials.card.number'),
      validUntil: t.fr('credentials.card.validUntil'),
    },
  };
}

/**
 * A stored card as a file: `pdf`, the printable card at ID-1 size (85.6 × 54 mm) with the name in
 * Latin and Arabic script; `svg`, the same face as a vector image; or `png`, the same face as an
 * image at 300 dots per inch, for a phone screen. The QR is the one the holder already carries: a download never replaces a card.
 */
export async function cardFile(
  ctx: Context,
  card: CardRow,
  format: CardFormat,
  t: CardTranslators,
): Promise<CardFile> {
  const face = await cardFace(ctx, card, t);
  const filename = `carte-${face.membershipNumber}${card.dependant_id ? `-${card.dependant_id}` : ''}`;
  // NOTE: the renderers are loaded on the first download; with their PDF, font and image
  // libraries they weigh on every start otherwise, and most requests never draw a card.
  if (format === 'pdf') {
    const { renderCardPdf } = require('./pdf') as typeof import('./pdf');
    const pdf = await renderCardPdf({
      holderNameLatin: face.holderNameLatin,
      // NOTE: a holder without an Arabic name on file gets the Latin name in both places.
      holderNameArabic: face.holderNameArabic ?? face.holderNameLatin,
      membershipNumber: face.membershipNumber,
      relation: face.relation ?? undefined,
      validUntil: face.validUntil,
      qrText: face.qrText,
    });

    return { body: pdf, contentType: 'application/pdf', filename: `${filename}.pdf` };
  }
  if (format === 'png') {
    const { renderCardPng } = require('./png') as typeof import('./png');

    return { body: renderCardPng(face), contentType: 'image/png', filename: `${filename}.png` };
  }

  const { cardSvg } = require('./svg') as typeof import('./svg');

  return {
    body: Buffer.from(cardSvg(face), 'utf8'),
    contentType: 'image/svg+xml; charset=utf-8',
    filename: `${filename}.svg`,
  };
}
