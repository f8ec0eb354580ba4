import moment from 'moment-timezone';

import {
  businessDate,
  CLUB_ZONE,
  endOfBusinessDay,
  periodKey,
  startOfBusinessDay,
} from '../../src/time';

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

describe('limit periods and day bounds', () => {
  it('names the local period of an instant, not the UTC one', () => {
    // 30 June 2026 at 23:30 UTC is already 1 July in Morocco (UTC+01).
    const instant = new Date('2026-06-30T23:30:00Z');
    expect(periodKey('day', instant)).toBe('D2026-07-01');
    expect(periodKey('month', instant)).toBe('M2026-07');
    expect(periodKey('week', instant)).toBe('W2026-27');
    expect(periodKey('year', new Date('2026-12-31T23:30:00Z'))).toBe('Y2026');
    expect(periodKey('lifetime', instant)).toBe('L');
    // 1 January 2027 is a Friday: it belongs to the last ISO week of 2026.
    expect(periodKey('week', new Date('2027-01-01T10:00:00Z'))).toBe('W2026-53');
    expect(periodKey('week', new Date('2027-01-04T10:00:00Z'))).toBe('W2027-01');
  });

  it('gives the same bounds however often a day is asked, in copies the caller may change', () => {
    const first = endOfBusinessDay('2026-06-30');
    expect(first.toISOString()).toBe('2026-06-30T23:00:00.000Z');
    first.setTime(0);
    expect(endOfBusinessDay('2026-06-30').toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(startOfBusinessDay('2026-06-30').toISOString()).toBe('2026-06-29T23:00:00.000Z');
    // The day of the September 2026 time change is 25 hours long.
    const start = startOfBusinessDay('2026-09-20').getTime();
    expect((endOfBusinessDay('2026-09-20').getTime() - start) / 3_600_000).toBe(25);
  });
});
