import '../../src/disclosure/register.ts';
import '../../src/trust/register.ts';
import { describe, expect, it } from 'vitest';
import {
  type Catalog,
  defaultLocale,
  formatDateTime,
  hasTranslation,
  isLocale,
  loadCatalogs,
  locales,
  negotiateLocale,
  translate,
} from '../../src/core/i18n/index.ts';

/** Every leaf key of a catalog as `a.b.c`. */
function leafKeys(catalog: Catalog, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : leafKeys(value, `${prefix}${key}.`),
  );
}

/** `{{name}}` placeholders used by one string, sorted. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].map((match) => match[1] ?? '').sort();
}

function lookup(catalog: Catalog, dottedKey: string): string | undefined {
  let node: string | Catalog | undefined = catalog;
  for (const part of dottedKey.split('.')) {
    node = typeof node === 'object' ? node[part] : undefined;
  }
  return typeof node === 'string' ? node : undefined;
}

describe('catalogs', () => {
  const catalogs = loadCatalogs();
  const namespaces = Object.keys(catalogs.en);

  it('loads the expected namespaces for every locale', () => {
    expect(namespaces).toEqual(expect.arrayContaining(['common', 'mail', 'problems']));
    for (const locale of locales)
      expect(Object.keys(catalogs[locale]).sort()).toEqual([...namespaces].sort());
  });

  it.each(locales.filter((locale) => locale !== 'en'))(
    '%s has every English key, with the same placeholders, and nothing extra',
    (locale) => {
      for (const namespace of namespaces) {
        const english = catalogs.en[namespace] ?? {};
        const translated = catalogs[locale][namespace] ?? {};
        expect(leafKeys(translated).sort(), `${locale}/${namespace}.json keys`).toEqual(
          leafKeys(english).sort(),
        );
        for (const key of leafKeys(english)) {
          const text = lookup(translated, key) ?? '';
          expect(text.trim(), `${locale} ${namespace}:${key} is empty`).not.toBe('');
          expect(placeholders(text), `${locale} ${namespace}:${key} placeholders`).toEqual(
            placeholders(lookup(english, key) ?? ''),
          );
        }
      }
    },
  );
});

describe('translate', () => {
  it('interpolates without HTML-escaping (output is plain text)', () => {
    expect(
      translate('en', 'mail:invitation.subject', { inviterName: 'Ana', organizationName: 'Smith & <Co>' }),
    ).toBe('Ana invited you to join Smith & <Co>');
    expect(translate('es', 'mail:password-reset.subject', { organizationName: 'Acme' })).toBe(
      'Restablece tu contraseña de Acme',
    );
    expect(translate('fr', 'mail:password-changed.subject', { organizationName: 'Acme' })).toBe(
      'Votre mot de passe Acme a été modifié',
    );
  });

  it('does not interpret placeholders or nesting inside values', () => {
    expect(
      translate('en', 'mail:password-reset.subject', {
        organizationName: '{{organizationName}} $t(common:appName)',
      }),
    ).toBe('Reset your {{organizationName}} $t(common:appName) password');
  });

  it('defaults to the common namespace and echoes unknown keys with their namespace', () => {
    expect(translate('fr', 'languageName')).toBe('Français');
    expect(translate('es', 'common:languages.fr')).toBe('Francés');
    expect(translate('es', 'mail:no.such.key')).toBe('mail:no.such.key');
  });

  it('does not let a variable switch the language', () => {
    expect(translate('fr', 'languageName', { lng: 'es' })).toBe('Français');
  });

  it('hasTranslation is true only for keys that resolve to text', () => {
    expect(hasTranslation('es', 'mail:invitation.subject')).toBe(true);
    expect(hasTranslation('es', 'mail:invitation')).toBe(false);
    expect(hasTranslation('es', 'problems:does-not-exist')).toBe(false);
  });
});

describe('locales', () => {
  it('narrows unknown input', () => {
    expect(defaultLocale).toBe('en');
    expect(isLocale('fr')).toBe(true);
    expect(isLocale('de')).toBe(false);
    expect(isLocale('EN')).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });
});

describe('negotiateLocale', () => {
  it.each([
    [undefined, 'en', 'en'],
    ['', 'fr', 'fr'],
    ['es-MX', 'en', 'es'],
    ['es-MX,es;q=0.9,en;q=0.8', 'en', 'es'],
    ['de-DE, fr-CA;q=0.7, en;q=0.5', 'en', 'fr'],
    ['en;q=0.2, fr;q=0.9', 'en', 'fr'],
    ['en, fr', 'fr', 'en'],
    ['FR-ca', 'en', 'fr'],
    ['de, ja', 'es', 'es'],
    ['es;q=0, *', 'en', 'en'],
    ['es;q=0, *', 'es', 'en'],
    ['de, *;q=0.5', 'fr', 'fr'],
    ['en;q=0', 'en', 'en'],
    ['fr;q=abc, es', 'en', 'es'],
    ['fr;q=1.5, es;q=0.1', 'en', 'es'],
    ['garbage;;;, ,,', 'fr', 'fr'],
    ['zh-Hant-TW, es-419;q=0.8', 'en', 'es'],
    ['es ; q = 0.5 , fr ; Q=0.6', 'en', 'fr'],
  ] as const)('%j (fallback %s) → %s', (header, fallback, expected) => {
    expect(negotiateLocale(header, fallback)).toBe(expected);
  });
});

describe('formatDateTime', () => {
  const date = new Date('2025-03-05T14:30:00Z');

  it('formats in the locale with the time zone name', () => {
    // \s: newer ICU puts a narrow no-break space before AM/PM.
    expect(formatDateTime('en', date)).toMatch(/^March 5, 2025 at 2:30\sPM UTC$/);
    expect(formatDateTime('es', date)).toMatch(/^5 de marzo de 2025.*14:30 UTC$/);
    expect(formatDateTime('fr', date)).toMatch(/^5 mars 2025.*14:30 UTC$/);
  });

  it('converts to the requested time zone', () => {
    expect(formatDateTime('en', date, 'America/New_York')).toMatch(/^March 5, 2025 at 9:30\sAM EST$/);
  });

  it('rejects invalid input', () => {
    expect(() => formatDateTime('en', new Date(Number.NaN))).toThrow(RangeError);
    expect(() => formatDateTime('en', date, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
