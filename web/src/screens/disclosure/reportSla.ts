import { useEffect, useState } from 'react';
import type { SlaClockState } from '../../api-disclosure-triage';

/**
 * Where a report stands against its first-response deadline: answered (in time or late), due in some time
 * (soon: within a business day), overdue by some time, or closed without an answer (nothing is owed any
 * more). The server says which; the remaining time is computed here so the countdown moves. Milliseconds.
 */
export type SlaState =
  | { kind: 'answered'; late: boolean }
  | { kind: 'due'; ms: number; soon: boolean }
  | { kind: 'overdue'; ms: number }
  | { kind: 'closed' };

export function slaStateOf(sla: { state: SlaClockState; responseDueAt: string }, now: number): SlaState {
  if (sla.state === 'met' || sla.state === 'missed')
    return { kind: 'answered', late: sla.state === 'missed' };
  if (sla.state === 'not-applicable') return { kind: 'closed' };
  const left = new Date(sla.responseDueAt).getTime() - now;
  // The server's verdict wins at the boundary: a deadline passed a second ago is overdue either way.
  if (sla.state === 'breached' || left < 0) return { kind: 'overdue', ms: Math.abs(left) };
  return { kind: 'due', ms: left, soon: sla.state === 'due-soon' };
}

export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
}

/** Splits a duration into whole days, hours and minutes (at least one minute, so "0 min" never shows). */
export function durationParts(ms: number): DurationParts {
  const totalMinutes = Math.max(1, Math.floor(ms / 60_000));
  return {
    days: Math.floor(totalMinutes / 1440),
    hours: Math.floor((totalMinutes % 1440) / 60),
    minutes: totalMinutes % 60,
  };
}

/** The translation key and values for a duration: "1 d 4 h", "3 h 20 min" or "25 min". */
export function durationKey(ms: number): {
  key: 'sla.duration.days' | 'sla.duration.hours' | 'sla.duration.minutes';
  values: DurationParts;
} {
  const parts = durationParts(ms);
  if (parts.days > 0) return { key: 'sla.duration.days', values: parts };
  if (parts.hours > 0) return { key: 'sla.duration.hours', values: parts };
  return { key: 'sla.duration.minutes', values: parts };
}

/** The current time, refreshed every `everyMs` so countdowns move while the page stays open. */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
