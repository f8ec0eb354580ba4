import { cachesByPool, ListeningCache } from '../db/listening-cache';
import type { OfferRow } from '../offers/repository';
import type { Partner } from './service';

/** The channel the partner tables' triggers notify (see the notify_partner_changes migration). */
export const PARTNER_CHANGE_CHANNEL = 'nadipass_partner_change';

export interface AgreementSpan {
  starts_on: string;
  ends_on: string;
}

export interface ApiKeyOwner {
  apiKeyId: number;
  partnerId: number;
}

/**
 * What the counter asks about partners on every scan, kept in memory per instance: API keys,
 * partners with their region, agreements, offers, and the region of each province. Holders,
 * cards, vouchers and usage are never kept: they are read on every request.
 *
 * PostgreSQL tells every instance when a partner row, an API key, an agreement, an offer or a
 * province changes (LISTEN/NOTIFY): that partner's entries are dropped as the notice arrives,
 * within milliseconds of the commit, so a revoked key or an ended agreement is refused from the
 * next request on. While the listening connection is down, nothing is served from memory and
 * everything is read from the database.
 */
export class PartnerCache extends ListeningCache {
  // Bumped by every change notice: a read that started before a notice must not be kept.
  private generation = 0;

  private readonly apiKeys = new Map<string, ApiKeyOwner>();
  private readonly partners = new Map<number, Partner>();
  private readonly agreements = new Map<number, AgreementSpan[]>();
  private readonly partnerOffers = new Map<number, OfferRow[]>();
  private readonly offers = new Map<number, OfferRow>();
  private provinceRegions: Map<string, string> | null = null;

  constructor(url: string) {
    super(url, PARTNER_CHANGE_CHANNEL, 'partner cache');
  }

  protected clear(): void {
    this.generation++;
    this.apiKeys.clear();
    this.partners.clear();
    this.agreements.clear();
    this.partnerOffers.clear();
    this.offers.clear();
    this.provinceRegions = null;
  }

  /** Drops what is kept about one partner (payload: its id), or everything (payload `*`). */
  invalidate(payload: string): void {
    const partnerId = Number(payload);
    if (!Number.isSafeInteger(partnerId)) {
      this.clear();

      return;
    }

    this.generation++;
    this.partners.delete(partnerId);
    this.agreements.delete(partnerId);
    this.partnerOffers.delete(partnerId);
    for (const [hash, owner] of this.apiKeys) {
      if (owner.partnerId === partnerId) {
        this.apiKeys.delete(hash);
      }
    }
    for (const [id, offer] of this.offers) {
      if (offer.partner_id === partnerId) {
        this.offers.delete(id);
      }
    }
  }

  /**
   * The kept value, or `load()`'s, kept when no change notice arrived while it was loading.
   * Absent values (unknown keys, missing rows) are never kept.
   */
  private async through<K, V>(
    map: Map<K, V>,
    key: K,
    load: () => Promise<V | undefined>,
  ): Promise<V | undefined> {
    if (this.active) {
      const kept = map.get(key);
      if (kept !== undefined) {
        return kept;
      }
    }

    const generation = this.generation;
    const value = await load();
    if (value !== undefined && this.active && generation === this.generation) {
      map.set(key, value);
    }

    return value;
  }

  apiKey(keyHash: string, load: () => Promise<ApiKeyOwner | undefined>) {
    return this.through(this.apiKeys, keyHash, load);
  }

  partner(id: number, load: () => Promise<Partner | undefined>) {
    return this.through(this.partners, id, load);
  }

  agreementSpans(partnerId: number, load: () => Promise<AgreementSpan[]>) {
    return this.through(this.agreements, partnerId, load) as Promise<AgreementSpan[]>;
  }

  offersOf(partnerId: number, load: () => Promise<OfferRow[]>) {
    return this.through(this.partnerOffers, partnerId, load) as Promise<OfferRow[]>;
  }

  offer(id: number, load: () => Promise<OfferRow | undefined>) {
    return this.through(this.offers, id, load);
  }

  /** The region of every province (reference data; a change to it drops everything). */
  async regionsOfProvinces(load: () => Promise<Map<string, string>>): Promise<Map<string, string>> {
    if (this.active && this.provinceRegions) {
      return this.provinceRegions;
    }

    const generation = this.generation;
    const regions = await load();
    if (this.active && generation === this.generation) {
      this.provinceRegions = regions;
    }

    return regions;
  }
}

const partnerCaches = cachesByPool<PartnerCache>();

/** Serves partner reads made through `db` (the pool itself) from `cache`. */
export const usePartnerCache = partnerCaches.use;

/** The cache serving partner reads made through exactly this query runner, if any. */
export const partnerCacheFor = partnerCaches.of;
