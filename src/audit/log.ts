import { Queryable } from '../db';

/** One change an administrator made. */
export interface AuditEntry {
  actor: string;
  /** A verb: create, update, suspend, renew, import … */
  action: string;
  /** What was changed: member, partner, agreement, offer, partner_user, dependant … */
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  at: Date;
}

export interface AuditRow {
  id: number;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  occurred_at: Date;
}

/**
 * Writes an entry in the same transaction as the change it describes, so the log never shows a
 * change that did not happen, nor misses one that did.
 */
export async function recordAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx('audit_log').insert({
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    // jsonb: pg would send a JS array as a PostgreSQL array, so always send text.
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    occurred_at: entry.at,
  });
}

/** Only the fields that differ between two versions of a row, on both sides. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const keys = Object.keys(after).filter(
    (key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null),
  );
  if (keys.length === 0) {
    return null;
  }

  return {
    before: Object.fromEntries(keys.map((key) => [key, before[key] ?? null])),
    after: Object.fromEntries(keys.map((key) => [key, after[key] ?? null])),
  };
}

/** Entries between two instants, newest first, optionally of one entity. */
export function listAudit(
  db: Queryable,
  query: { since: Date; until: Date; entity?: string; limit: number },
): Promise<AuditRow[]> {
  const builder = db<AuditRow>('audit_log')
    .where('occurred_at', '>=', query.since)
    .andWhere('occurred_at', '<', query.until)
    .orderBy('id', 'desc')
    .limit(query.limit);
  if (query.entity) {
    builder.andWhere('entity', query.entity);
  }

  return builder;
}
