import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  defaultOutOfScopeCategories,
  defaultProgramSource,
} from '../../../src/disclosure/program/program.defaults.ts';
import { ProgramSource } from '../../../src/disclosure/program/program.schema.ts';
import { checkProgram } from '../../../src/disclosure/program/program.validation.ts';
import { isVrtId, VRT_FILE, vrtEntries } from '../../../src/disclosure/program/program.vrt.ts';

const LOCALES = ['en', 'es', 'fr'] as const;
const defaults = ProgramSource.parse(
  defaultProgramSource({ companyName: 'Acme', defaultLocale: 'fr', publicUrl: 'https://acme.test' }),
);

describe('the default program', () => {
  it('maps out-of-scope categories to ids that exist in the shipped Bugcrowd VRT', () => {
    const mapped = defaultOutOfScopeCategories.filter((c) => c.vrtId !== null);
    expect(mapped.length).toBeGreaterThanOrEqual(10);
    for (const category of mapped) expect(isVrtId(category.vrtId as string), category.vrtId ?? '').toBe(true);
    expect(vrtEntries().get('server_security_misconfiguration.clickjacking.non_sensitive_action')).toBe(
      'Non-Sensitive Action',
    );
    // The catalog is the upstream file, untouched (catalog/vrt/README.md names its release).
    const vrt = JSON.parse(readFileSync(VRT_FILE, 'utf8')) as { metadata: { release_date: string } };
    expect(vrt.metadata.release_date).toBe('2024-07-18T00:00:00+00:00');
  });

  it('covers the usual exclusions with unique keys', () => {
    const keys = defaultOutOfScopeCategories.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of [
      'clickjacking-non-sensitive',
      'csrf-unauthenticated-or-login',
      'csrf-logout',
      'mitm-or-physical-access',
      'denial-of-service',
      'content-spoofing-text-injection',
      'email-spoofing',
      'missing-dnssec',
      'missing-caa-record',
      'missing-csp-header',
      'cookie-flags-non-sensitive',
      'dead-links',
      'rate-limiting',
    ]) {
      expect(keys).toContain(key);
    }
  });

  it('has every text in English, Spanish and French', () => {
    const texts = [
      defaults.introduction,
      defaults.reportingGuidance,
      defaults.safeHarbor,
      ...defaults.rulesOfEngagement,
      ...defaults.promises,
      ...defaults.outOfScopeCategories.map((c) => c.label),
      ...defaults.assets.map((a) => a.description),
    ];
    for (const text of texts) {
      for (const locale of LOCALES)
        expect(text[locale]?.trim().length, JSON.stringify(text)).toBeGreaterThan(3);
      expect(new Set(LOCALES.map((l) => text[l])).size).toBe(3);
    }
  });

  it('keeps the promised numbers as placeholders, so the prose follows the settings', () => {
    expect(defaults.responseBusinessDays).toBe(3);
    expect(defaults.disclosureDeadlineDays).toBe(90);
    for (const locale of LOCALES) {
      expect(defaults.promises[0]?.[locale]).toContain('{{responseBusinessDays}}');
      expect(defaults.promises.some((p) => p[locale]?.includes('{{disclosureDeadlineDays}}'))).toBe(true);
    }
  });

  it('passes the program checks, with the report form as the only contact: no guessed security@ address', () => {
    expect(checkProgram(defaults, new Date())).toEqual([]);
    expect(defaults.defaultLocale).toBe('fr');
    expect(defaults.contacts.map((c) => c.value)).toEqual(['/security/report']);
    expect(defaults.assets).toEqual([expect.objectContaining({ identifier: 'acme.test', inScope: true })]);
  });

  it('puts no local host in scope: localhost and addresses are not an asset', () => {
    for (const publicUrl of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://attest.localhost']) {
      const source = defaultProgramSource({ companyName: 'Acme', defaultLocale: 'en', publicUrl });
      expect(source.assets, publicUrl).toEqual([]);
    }
  });
});
