import { readFileSync } from 'node:fs';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';

// The admin app's module, loaded by URL: the server's TypeScript project does not type-check web/ (it
// has its own, with the browser's module resolution).
type ReportEvent = { id: string; type: string; actorUserId: string | null; details: Record<string, unknown> };
const { describeEvent } = (await import(
  new URL('../../web/src/screens/disclosure/reportEvents.ts', import.meta.url).href
)) as { describeEvent: (event: ReportEvent, t: unknown, actor: string) => string };

const LOCALES = ['en', 'es', 'fr'] as const;

async function translator(locale: (typeof LOCALES)[number]) {
  const catalog = JSON.parse(
    readFileSync(new URL(`../../web/src/locales/disclosure/triage.${locale}.json`, import.meta.url), 'utf8'),
  );
  const instance = i18next.createInstance();
  await instance.init({ lng: locale, resources: { [locale]: { vdpTriage: catalog } }, ns: ['vdpTriage'] });
  return instance.getFixedT(locale, 'vdpTriage');
}

const event = (type: string, details: Record<string, unknown>): ReportEvent =>
  ({ id: '1', type, actorUserId: null, details, occurredAt: '2026-12-01T10:00:00Z' }) as ReportEvent;

describe('report timeline lines in the admin app', () => {
  for (const locale of LOCALES) {
    it(`says the researcher chose their credit, in words, never "Attest: credit changed" (${locale})`, async () => {
      const t = await translator(locale);
      const line = describeEvent(event('credit-changed', { creditPreference: 'handle' }), t, 'Attest');
      expect(line).not.toContain('Attest');
      expect(line).not.toMatch(/credit changed/);
      expect(line).toContain(t('reporter.creditPreference.handle'));
    });

    it(`names SLA notices and a confirmed severity (${locale})`, async () => {
      const t = await translator(locale);
      for (const kind of ['reminder', 'breached']) {
        const line = describeEvent(event('sla-notice', { kind }), t, 'Attest');
        expect(line).not.toMatch(/sla notice/);
      }
      const confirmed = describeEvent(
        event('updated', { changed: ['severityProposed'], severityProposed: false }),
        t,
        'Ana',
      );
      expect(confirmed).toContain('Ana');
      expect(confirmed).not.toContain('—');
    });
  }
});
