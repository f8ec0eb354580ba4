import crypto from 'node:crypto';

import { z } from 'zod';

import { hashPassword, sha256 } from '../auth/passwords';
import { Queryable } from '../db';
import { AppError, notFound } from '../errors';
import { businessDate } from '../time';
import { AgreementSpan, ApiKeyOwner, partnerCacheFor } from './cache';

export interface PartnerRow {
  id: number;
  code: string;
  legal_name: string;
  display_name: string;
  display_name_ar: string | null;
  category: string;
  province_code: string;
  address: string | null;
  phone: string | null;
  status: 'active' | 'suspended';
}

/** A partner with the region of its province. */
export interface Partner extends PartnerRow {
  region_code: string;
}

const API_KEY_PREFIX = 'np_';

export function findPartnerByCode(db: Queryable, code: string): Promise<Partner | undefined> {
  return db('partners')
    .join('provinces', 'provinces.code', 'partners.province_code')
    .where('partners.code', code.trim().toUpperCase())
    .first('partners.*', 'provinces.region_code');
}

function loadPartner(db: Queryable, id: number): Promise<Partner | undefined> {
  return db('partners')
    .join('provinces', 'provinces.code', 'partners.province_code')
    .where('partners.id', id)
    .first('partners.*', 'provinces.region_code');
}

// NOTE: the partner reads below run on every scan. Their loaders are passed inline, so that a
// read served from memory creates no named function (the TypeScript loader names each one).
export function findPartnerById(db: Queryable, id: number): Promise<Partner | undefined> {
  const cache = partnerCacheFor(db);

  return cache ? cache.partner(id, () => loadPartner(db, id)) : loadPartner(db, id);
}

function loadAgreementSpans(db: Queryable, partnerId: number): Promise<AgreementSpan[]> {
  return db('agreements').where({ partner_id: partnerId }).select('starts_on', 'ends_on');
}

/** A partner may redeem when active and a signed agreement covers the business date. */
export async function partnerMayRedeem(db: Queryable, partner: Partner, now: Date): Promise<boolean> {
  if (partner.status !== 'active') {
    return false;
  }

  const today = businessDate(now);
  const cache = partnerCacheFor(db);
  const agreements = cache
    ? await cache.agreementSpans(partner.id, () => loadAgreementSpans(db, partner.id))
    : await loadAgreementSpans(db, partner.id);

  return agreements.some((span) => span.starts_on <= today && span.ends_on >= today);
}

/** Creates an API key for a partner. The key is returned once; only its hash is stored. */
export async function createApiKey(db: Queryable, partnerCode: string): Promise<string> {
  const partner = await findPartnerByCode(db, partnerCode);
  if (!partner) {
    throw notFound('partner_not_found');
  }

  const key = API_KEY_PREFIX + crypto.randomBytes(24).toString('base64url');
  await db('partner_api_keys').insert({
    partner_id: partner.id,
    key_hash: sha256(key),
    prefix: key.slice(0, 8),
  });

  return key;
}

async function loadApiKeyOwner(db: Queryable, keyHash: string): Promise<ApiKeyOwner | undefined> {
  const row = await db('partner_api_keys')
    .where({ key_hash: keyHash })
    .whereNull('revoked_at')
    .first('id', 'partner_id');

  return row ? { apiKeyId: Number(row.id), partnerId: Number(row.partner_id) } : undefined;
}

/** The partner and key id behind an API key, or null for an unknown or revoked key. */
export async function authenticateApiKey(
  db: Queryable,
  key: string,
): Promise<{ partner: Partner; apiKeyId: number } | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) {
    return null;
  }

  const keyHash = sha256(key);
  const cache = partnerCacheFor(db);
  const owner = cache
    ? await cache.apiKey(keyHash, () => loadApiKeyOwner(db, keyHash))
    : await loadApiKeyOwner(db, keyHash);
  if (!owner) {
    return null;
  }

  const partner = await findPartnerById(db, owner.partnerId);

  return partner ? { partner, apiKeyId: owner.apiKeyId } : null;
}

/** Creates a portal login for a partner's staff or manager. */
export async function createPartnerUser(
  db: Queryable,
  input: { partnerCode: string; email: string; password: string; role: 'staff' | 'manager'; name?: string },
): Promise<number> {
  const partner = await findPartnerByCode(db, input.partnerCode);
  if (!partner) {
    throw notFound('partner_not_found');
  }
  if (input.password.length < 8) {
    throw new AppError(422, 'password_too_short');
  }

  const email = input.email.trim().toLowerCase();
  if (!z.string().email().safeParse(email).success) {
    throw new AppError(422, 'email_invalid');
  }
  // One e-mail, one login, whichever side of the club it belongs to.
  const existing =
    (await db('partner_users').where({ email }).first('id')) ??
    (await db('club_users').where({ email }).first('id'));
  if (existing) {
    throw new AppError(409, 'email_taken');
  }

  const [row] = await db('partner_users')
    .insert({
      partner_id: partner.id,
      email,
      name: input.name ?? null,
      role: input.role,
      password_hash: await hashPassword(input.password),
    })
    .returning('id');

  return row.id;
}
