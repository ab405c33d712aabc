import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export interface Formatters {
  /** Date and time, e.g. "12 Mar 2026, 14:05". Returns the fallback for empty values. */
  dateTime: (iso: string | null | undefined, fallback?: string) => string;
  /** Date only. */
  date: (iso: string | null | undefined, fallback?: string) => string;
  number: (value: number) => string;
}

function safe(format: Intl.DateTimeFormat, iso: string | null | undefined, fallback: string): string {
  if (!iso) return fallback;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : format.format(d);
}

/** Intl formatters bound to the current interface language. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(lng, { dateStyle: 'medium' });
    const number = new Intl.NumberFormat(lng);
    return {
      dateTime: (iso, fallback = '—') => safe(dateTime, iso, fallback),
      date: (iso, fallback = '—') => safe(date, iso, fallback),
      number: (value) => number.format(value),
    };
  }, [lng]);
}
