import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  type BusinessCalendar,
  businessDaysBetween,
  isBusinessDay,
} from '../../../src/disclosure/triage/sla.ts';

const utc: BusinessCalendar = { timeZone: 'UTC', holidays: { country: null, region: null } };
const paris: BusinessCalendar = { timeZone: 'Europe/Paris', holidays: { country: 'FR', region: null } };
const parisNoHolidays: BusinessCalendar = {
  timeZone: 'Europe/Paris',
  holidays: { country: null, region: null },
};
const tokyo: BusinessCalendar = { timeZone: 'Asia/Tokyo', holidays: { country: null, region: null } };

const due = (iso: string, days: number, calendar: BusinessCalendar) =>
  addBusinessDays(new Date(iso), days, calendar).toISOString();

describe('the first-response clock (addBusinessDays)', () => {
  // The spec's two examples, verbatim: 3 business days, no holidays in between.
  it('received Friday 14:00 → due Wednesday 14:00', () => {
    expect(new Date('2026-03-06T14:00:00Z').getUTCDay()).toBe(5);
    expect(due('2026-03-06T14:00:00Z', 3, utc)).toBe('2026-03-11T14:00:00.000Z');
  });

  it('received Saturday 10:00 → due Thursday 00:00', () => {
    expect(new Date('2026-03-07T10:00:00Z').getUTCDay()).toBe(6);
    expect(due('2026-03-07T10:00:00Z', 3, utc)).toBe('2026-03-12T00:00:00.000Z');
  });

  it('received Sunday counts like Saturday: from Monday midnight', () => {
    expect(due('2026-03-08T23:59:00Z', 3, utc)).toBe('2026-03-12T00:00:00.000Z');
  });

  it('keeps the time of day on a weekday', () => {
    expect(due('2026-03-09T09:15:00Z', 1, utc)).toBe('2026-03-10T09:15:00.000Z');
    expect(due('2026-03-09T09:15:00Z', 5, utc)).toBe('2026-03-16T09:15:00.000Z');
  });

  it("skips the program's public holidays (FR: 25 December)", () => {
    // Thursday 24 December 2026, 14:00 in Paris: Friday 25 is Christmas, then the weekend.
    expect(due('2026-12-24T13:00:00Z', 3, paris)).toBe('2026-12-30T13:00:00.000Z');
    // The same without a holiday calendar: Friday counts.
    expect(due('2026-12-24T13:00:00Z', 3, parisNoHolidays)).toBe('2026-12-29T13:00:00.000Z');
    // Received on the holiday itself: the clock starts at midnight of the next business day.
    expect(due('2026-12-25T09:00:00Z', 3, paris)).toBe('2026-12-30T23:00:00.000Z');
    expect(isBusinessDay(new Date('2026-12-25T12:00:00Z'), paris)).toBe(false);
    expect(isBusinessDay(new Date('2026-12-25T12:00:00Z'), parisNoHolidays)).toBe(true);
  });

  it('keeps the wall-clock hour across a DST change', () => {
    // Autumn: Friday 23 October 2026 14:00 CEST (UTC+2) → Wednesday 28 October 14:00 CET (UTC+1).
    expect(due('2026-10-23T12:00:00Z', 3, paris)).toBe('2026-10-28T13:00:00.000Z');
    // Spring: Friday 27 March 2026 14:00 CET → Wednesday 1 April 14:00 CEST.
    expect(due('2026-03-27T13:00:00Z', 3, paris)).toBe('2026-04-01T12:00:00.000Z');
  });

  it("runs in the program's time zone, not the server's", () => {
    // Friday 14:00 in Tokyo (05:00 UTC) → Wednesday 14:00 in Tokyo.
    expect(due('2026-03-06T05:00:00Z', 3, tokyo)).toBe('2026-03-11T05:00:00.000Z');
    // Friday 23:30 UTC is already Saturday 08:30 in Tokyo: due Thursday 00:00 Tokyo time.
    expect(due('2026-03-06T23:30:00Z', 3, tokyo)).toBe('2026-03-11T15:00:00.000Z');
    expect(due('2026-03-06T23:30:00Z', 3, utc)).toBe('2026-03-11T23:30:00.000Z');
  });
});

describe('businessDaysBetween', () => {
  it('counts whole business days either way, negative once past', () => {
    const friday = new Date('2026-03-06T14:00:00Z');
    const wednesday = new Date('2026-03-11T14:00:00Z');
    expect(businessDaysBetween(friday, wednesday, utc)).toBe(3);
    expect(businessDaysBetween(wednesday, friday, utc)).toBe(-3);
    expect(businessDaysBetween(friday, new Date('2026-03-09T13:00:00Z'), utc)).toBe(0);
  });
});
