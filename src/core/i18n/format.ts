import type { Locale } from './locales.ts';

/**
 * A date and time for people, e.g. "March 5, 2025 at 2:30 PM UTC" / "5 de marzo de 2025,
 * 14:30 UTC": long date, short time, then the time zone's short name so the reader knows
 * which clock is meant (mail is read far from the server).
 *
 * @param timeZone IANA name, default 'UTC'.
 * Throws RangeError for an invalid date or an unknown time zone (both are programming errors).
 */
export function formatDateTime(locale: Locale, date: Date, timeZone = 'UTC'): string {
  // dateStyle/timeStyle can't be combined with timeZoneName, so the zone is formatted apart.
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone });
  const zone = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
    .formatToParts(date)
    .find((part) => part.type === 'timeZoneName')?.value;
  const formatted = dateTime.format(date);
  return zone === undefined ? formatted : `${formatted} ${zone}`;
}
