import type { SubscriptionChangeSet } from '../subscriptions/subscriptions.jobs.ts';
import type { LocalizedText } from '../tables.ts';
import type { SiteSnapshot, SiteSubprocessor } from './publication.schemas.ts';

type Change = SubscriptionChangeSet['changes'][number];

function pick(text: LocalizedText, locale: 'en' | 'es' | 'fr'): string {
  return text[locale] ?? text.en ?? Object.values(text).find(Boolean) ?? '';
}

function isListed(subprocessor: SiteSubprocessor): boolean {
  return subprocessor.removedOn === null;
}

function sameSubprocessor(a: SiteSubprocessor, b: SiteSubprocessor): boolean {
  return (
    a.name === b.name &&
    JSON.stringify(a.location) === JSON.stringify(b.location) &&
    a.website === b.website &&
    a.effectiveOn === b.effectiveOn &&
    JSON.stringify(a.purpose) === JSON.stringify(b.purpose)
  );
}

/**
 * What subscribers must hear about when `next` replaces `previous`: subprocessors added, removed or
 * changed (with their effective date) and newly published updates. The first publication announces
 * nothing (nobody could have subscribed to a site that did not exist). Pure, for testing.
 */
export function changesBetween(
  previous: SiteSnapshot | undefined,
  next: SiteSnapshot,
): SubscriptionChangeSet[] {
  if (!previous) return [];
  const locale = next.profile.defaultLocale;
  const before = new Map(previous.subprocessors.filter(isListed).map((s) => [s.id, s]));
  const after = new Map(next.subprocessors.filter(isListed).map((s) => [s.id, s]));
  const subprocessorChanges: Change[] = [];
  for (const [id, now] of after) {
    const then = before.get(id);
    const effectiveOn = now.effectiveOn ?? undefined;
    if (!then) subprocessorChanges.push({ kind: 'subprocessor-added', name: now.name, effectiveOn });
    else if (!sameSubprocessor(then, now))
      subprocessorChanges.push({ kind: 'subprocessor-changed', name: now.name, effectiveOn });
  }
  for (const [id, then] of before) {
    if (after.has(id)) continue;
    const removed = next.subprocessors.find((s) => s.id === id);
    subprocessorChanges.push({
      kind: 'subprocessor-removed',
      name: then.name,
      effectiveOn: removed?.removedOn ?? undefined,
    });
  }
  const known = new Set(previous.updates.map((u) => u.id));
  const updateChanges: Change[] = next.updates
    .filter((update) => !known.has(update.id))
    .map((update) => ({
      kind: 'update-published',
      name: pick(update.title, locale),
      names: Object.fromEntries(Object.entries(update.title).filter(([, v]) => Boolean(v))),
    }));
  const sets: SubscriptionChangeSet[] = [];
  if (subprocessorChanges.length > 0)
    sets.push({ topic: 'subprocessors', changes: subprocessorChanges.slice(0, 200) });
  if (updateChanges.length > 0) sets.push({ topic: 'updates', changes: updateChanges.slice(0, 200) });
  return sets;
}
