import { Queryable } from '../../src/db';

/** Retries `check` until it passes, for at most a second (the time a change notice may take). */
export async function withinASecond(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 1_000;
  for (;;) {
    try {
      await check();

      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Changes rows without firing their triggers, so that no change notice is sent. */
export async function quietly(
  db: Queryable,
  sql: string,
  bindings: readonly (string | number)[],
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.raw('set local session_replication_role = replica');
    await tx.raw(sql, bindings);
  });
}
