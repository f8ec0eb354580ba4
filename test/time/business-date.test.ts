import moment from 'moment-timezone';

import { businessDate, CLUB_ZONE } from '../../src/time';

const at = (iso: string) => businessDate(new Date(iso));

describe('the business date of an instant', () => {
  it('changes at Morocco’s midnight, whatever order instants are asked in', () => {
    // UTC+01 in June 2026: local midnight is 23:00 UTC.
    expect(at('2026-06-01T22:59:59.999Z')).toBe('2026-06-01');
    expect(at('2026-06-01T23:00:00.000Z')).toBe('2026-06-02');
    expect(at('2026-06-01T12:00:00.000Z')).toBe('2026-06-01');
    // UTC+00 for good from 20 September 2026: local midnight is midnight UTC.
    expect(at('2026-12-03T23:59:59.999Z')).toBe('2026-12-03');
    expect(at('2026-12-04T00:00:00.000Z')).toBe('2026-12-04');
    expect(at('2026-12-03T23:30:00.000Z')).toBe('2026-12-03');
  });

  it('agrees with the zone rules every seven minutes across the September 2026 time change', () => {
    const from = Date.parse('2026-09-18T00:00:00Z');
    const instants: number[] = [];
    for (let time = from; time < from + 4 * 86_400_000; time += 7 * 60_000) {
      instants.push(time);
    }
    // In order, then each far from the one before: the remembered day must never leak.
    const scrambled = instants.map((_, index) => instants[(index * 337) % instants.length]);
    for (const time of [...instants, ...scrambled]) {
      const instant = new Date(time);
      expect([instant.toISOString(), businessDate(instant)]).toEqual([
        instant.toISOString(),
        moment.tz(instant, CLUB_ZONE).format('YYYY-MM-DD'),
      ]);
    }
  });
});
