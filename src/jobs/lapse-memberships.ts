import { Context } from '../context';
import { Job } from './runner';

/**
 * Marks as lapsed the active members whom no paid membership period covers on the slot's
 * business date, and records each change in the audit log. Suspended and cancelled members are
 * left as they are; a member who pays again is made active by the club.
 */
export const lapseMemberships: Job = {
  name: 'lapse-memberships',
  async run(ctx: Context, slot: string, now: Date) {
    const lapsed: { id: number }[] = await ctx.db.transaction(async (tx) => {
      const rows = await tx('members as m')
        .where('m.status', 'active')
        .whereNotExists(
          tx('membership_periods as p')
            .whereRaw('p.member_id = m.id')
            .andWhere('p.valid_from', '<=', slot)
            .andWhere('p.valid_to', '>=', slot),
        )
        .update({ status: 'lapsed', updated_at: now })
        .returning('m.id');
      if (rows.length > 0) {
        await tx('audit_log').insert(
          rows.map((row: { id: number }) => ({
            actor: 'job:lapse-memberships',
            action: 'member.lapse',
            entity: 'member',
            entity_id: String(row.id),
            before: JSON.stringify({ status: 'active' }),
            after: JSON.stringify({ status: 'lapsed', businessDate: slot }),
            occurred_at: now,
          })),
        );
      }

      return rows;
    });

    return `${lapsed.length} membership(s) lapsed`;
  },
};
