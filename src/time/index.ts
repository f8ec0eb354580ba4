import moment from 'moment-timezone';

/** Morocco's legal time: every business day and every displayed time uses it. */
export const CLUB_ZONE = 'Africa/Casablanca';

/**
 * The oldest IANA release that knows Morocco's permanent UTC+00 from 2026-09-20 (tzdata 2026c).
 * Older data (Node 20's built-in ICU among it) is an hour wrong since then.
 */
export const REQUIRED_ZONE_DATA = '2026c';

export type LimitPeriod = 'day' | 'week' | 'month' | 'year' | 'lifetime';

/** Thrown at start-up when the zone data the app carries cannot be trusted. */
export class ZoneDataError extends Error {}

/**
 * Checks that the zone data carried by the app (moment-timezone's, not Node's ICU) is recent
 * enough, and that it gives Morocco's offset for known instants. Returns the data version.
 */
export function assertZoneData(): string {
  const version = moment.tz.dataVersion;
  if (!version || version < REQUIRED_ZONE_DATA) {
    throw new ZoneDataError(
      `Time zone data ${version || 'unknown'} predates ${REQUIRED_ZONE_DATA}, the first release ` +
        `with Morocco's permanent UTC+00 (from 2026-09-20). Update moment-timezone.`,
    );
  }

  const checks: [string, number][] = [
    ['2026-06-30T21:30:00Z', 60],
    ['2026-12-03T12:00:00Z', 0],
  ];
  for (const [instant, expectedMinutes] of checks) {
    const offset = moment.tz(instant, CLUB_ZONE).utcOffset();
    if (offset !== expectedMinutes) {
      throw new ZoneDataError(
        `Time zone data ${version} gives UTC${offset >= 0 ? '+' : ''}${offset / 60} for ` +
          `${CLUB_ZONE} at ${instant}; expected UTC+${expectedMinutes / 60}.`,
      );
    }
  }

  return version;
}

/** Where the zone data comes from, for the start-up banner. */
export function zoneDataDescription(): string {
  return `${CLUB_ZONE} from moment-timezone data ${moment.tz.dataVersion} ` +
    `(Node's built-in ${process.versions.tz ?? 'unknown'} is not used)`;
}

// The local day the last instant asked about fell in: a busy counter asks about the same day
// thousands of times, and every instant between its first and its end has that date.
let lastDay = { date: '', from: 0, until: 0 };

/** The club's business date (YYYY-MM-DD, Morocco's legal time) of an instant. */
export function businessDate(instant: Date): string {
  const time = instant.getTime();
  if (time >= lastDay.from && time < lastDay.until) {
    return lastDay.date;
  }

  const date = moment.tz(instant, CLUB_ZONE).format('YYYY-MM-DD');
  if (!Number.isNaN(time)) {
    lastDay = {
      date,
      from: startOfBusinessDay(date).getTime(),
      until: endOfBusinessDay(date).getTime(),
    };
  }

  return date;
}

// Day bounds asked about again and again (today, a voucher's last day): each is worked out from
// the zone rules once. Dates are few; the memo is emptied when it grows past a year of them.
const dayBounds = new Map<string, { start: Date; end: Date }>();
const DAY_BOUNDS_KEPT = 400;

function boundsOf(date: string): { start: Date; end: Date } {
  let bounds = dayBounds.get(date);
  if (!bounds) {
    const start = moment.tz(date, 'YYYY-MM-DD', true, CLUB_ZONE).startOf('day');
    bounds = { start: start.toDate(), end: start.clone().add(1, 'day').startOf('day').toDate() };
    if (dayBounds.size >= DAY_BOUNDS_KEPT) {
      dayBounds.clear();
    }
    dayBounds.set(date, bounds);
  }

  return bounds;
}

/** The first instant after the local day `date` (YYYY-MM-DD): "valid until D" ends there. */
export function endOfBusinessDay(date: string): Date {
  return new Date(boundsOf(date).end);
}

/** The first instant of the local day `date` (YYYY-MM-DD). */
export function startOfBusinessDay(date: string): Date {
  return new Date(boundsOf(date).start);
}

/** True when `date` is a real calendar date written YYYY-MM-DD, between 1900 and 2199. */
export function isIsoDate(date: string): boolean {
  return (
    /^(19|20|21)\d{2}-\d{2}-\d{2}$/.test(date) && moment.utc(date, 'YYYY-MM-DD', true).isValid()
  );
}

/**
 * The key of the limit period that contains an instant, in local time: `D2026-12-03`,
 * `W2026-49` (ISO week), `M2026-12`, `Y2026`, or `L` for a lifetime limit.
 */
export function periodKey(period: LimitPeriod, instant: Date): string {
  const date = businessDate(instant);
  switch (period) {
    case 'day':
      return `D${date}`;
    case 'week':
      return `W${isoWeekOf(date)}`;
    case 'month':
      return `M${date.slice(0, 7)}`;
    case 'year':
      return `Y${date.slice(0, 4)}`;
    case 'lifetime':
      return 'L';
  }
}

let lastWeek = { date: '', week: '' };

/** The ISO week (`GGGG-WW`) of a calendar date; the last one asked about is remembered. */
function isoWeekOf(date: string): string {
  if (lastWeek.date !== date) {
    lastWeek = { date, week: moment.utc(date, 'YYYY-MM-DD').format('GGGG-WW') };
  }

  return lastWeek.week;
}

// Intl formatters are costly to build and safe to share: one per language and layout.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: string, layout: 'date' | 'dateTime'): Intl.DateTimeFormat {
  const locale = lang === 'ar' ? 'ar-MA' : 'fr-MA';
  const key = `${locale} ${layout}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      locale,
      layout === 'date'
        ? { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }
        : { timeZone: 'UTC', dateStyle: 'short', timeStyle: 'short' },
    );
    formatters.set(key, format);
  }

  return format;
}

/**
 * Formats an instant in Morocco's legal time for a reader of `lang`. The wall-clock fields come
 * from the app's zone data; Intl only lays them out (its own zone data may be outdated).
 */
export function formatDateTime(instant: Date, lang: string): string {
  const wallClock = new Date(
    moment.tz(instant, CLUB_ZONE).format('YYYY-MM-DDTHH:mm:ss') + 'Z',
  );

  return formatter(lang, 'dateTime').format(wallClock);
}

// Formatted dates, by language and date: Intl's formatting costs more than the rest of a page's
// date work, and the dates a counter shows (paid periods, voucher ends) repeat all day.
const formattedDates = new Map<string, string>();
const FORMATTED_DATES_KEPT = 5_000;

/** Formats a calendar date (YYYY-MM-DD) for a reader of `lang`. */
export function formatDate(date: string, lang: string): string {
  const key = `${lang}|${date}`;
  let text = formattedDates.get(key);
  if (text === undefined) {
    text = formatter(lang, 'date').format(new Date(`${date}T00:00:00Z`));
    if (formattedDates.size >= FORMATTED_DATES_KEPT) {
      formattedDates.clear();
    }
    formattedDates.set(key, text);
  }

  return text;
}
