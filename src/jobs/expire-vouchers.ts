import { Context } from '../context';
import { startOfBusinessDay } from '../time';
import { Job } from './runner';

/**
 * Marks as expired the vouchers whose last valid day is before the slot's business date and
 * that were neither used up nor cancelled. The counter refuses them by date anyway; the mark
 * is for the members' list and reports. Running it twice for a date changes nothing.
 */
export const expireVouchers: Job = {
  name: 'expire-vouchers',
  async run(ctx: Context, slot: string) {
    const count = await ctx
      .db('vouchers')
      .where('expires_on', '<', slot)
      .whereNull('expired_at')
      .whereNull('cancelled_at')
      .andWhere('uses', '<', ctx.db.ref('max_uses'))
      .update({ expired_at: startOfBusinessDay(slot) });

    return `${count} voucher(s) expired`;
  },
};
