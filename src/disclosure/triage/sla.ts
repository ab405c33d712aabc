import { TZDate } from '@date-fns/tz';
import Holidays from 'date-holidays';

/** Where the SLA clock runs: the program's time zone and public-holiday calendar. */
export type BusinessCalendar = {
  timeZone: string;
  holidays: { country: string | null; region: string | null };
};

const holidayCache = new Map<string, Set<string>>();

/** Public holidays (`YYYY-MM-DD`, the country's own calendar days) of one year. */
function publicHolidays(calendar: BusinessCalendar, year: number): Set<string> {
  const { country, region } = calendar.holidays;
  if (!country) return new Set();
  const key = `${country}|${region ?? ''}|${year}`;
  let days = holidayCache.get(key);
  if (!days) {
    const source = region ? new Holidays(country, region) : new Holidays(country);
    days = new Set(
      (source.getHolidays(year) || [])
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    holidayCache.set(key, days);
  }
  return days;
}

function dayKey(day: TZDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** A weekday that is not one of the calendar's public holidays. */
export function isBusinessDay(instant: Date, calendar: BusinessCalendar): boolean {
  const local = new TZDate(instant.getTime(), calendar.timeZone);
  const weekday = local.getDay();
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidays(calendar, local.getFullYear()).has(dayKey(local));
}

/** The same wall-clock time `days` calendar days later in the zone (a DST change keeps the hour). */
function plusDays(local: TZDate, days: number): TZDate {
  const next = new TZDate(local.getTime(), local.timeZone);
  next.setDate(next.getDate() + days);
  return next;
}

/**
 * Adds business days in the calendar's time zone. Received on a business day, the clock keeps the
 * time of day (Friday 14:00 + 3 → Wednesday 14:00). Received on a weekend or holiday, it starts at
 * midnight of the next business day (Saturday 10:00 + 3 → Thursday 00:00).
 */
export function addBusinessDays(start: Date, days: number, calendar: BusinessCalendar): Date {
  let cursor = new TZDate(start.getTime(), calendar.timeZone);
  if (!isBusinessDay(cursor, calendar)) {
    cursor = new TZDate(cursor.getFullYear(), cursor.getMonth(), cursor.getDate(), calendar.timeZone);
    do cursor = plusDays(cursor, 1);
    while (!isBusinessDay(cursor, calendar));
  }
  let remaining = days;
  while (remaining > 0) {
    cursor = plusDays(cursor, 1);
    if (isBusinessDay(cursor, calendar)) remaining -= 1;
  }
  return new Date(cursor.getTime());
}

/** Business days left (negative once breached), in whole days, for countdowns. */
export function businessDaysBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  const sign = to >= from ? 1 : -1;
  const [early, late] = sign === 1 ? [from, to] : [to, from];
  let count = 0;
  let cursor = new TZDate(early.getTime(), calendar.timeZone);
  while (true) {
    cursor = plusDays(cursor, 1);
    if (cursor.getTime() > late.getTime()) break;
    if (isBusinessDay(cursor, calendar)) count += 1;
  }
  return sign * count;
}
