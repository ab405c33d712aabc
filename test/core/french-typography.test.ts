import { readdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogFolders, translate } from '../../src/core/i18n/index.ts';
import '../../src/disclosure/register.ts';
import '../../src/trust/register.ts';

const root = new URL('../../', import.meta.url);
const frenchCatalogs = [
  // The kernel's catalogs and every domain's, as registered (src/core/i18n/locales, src/<domain>/locales).
  ...catalogFolders().flatMap((folder) => {
    const fr = relative(fileURLToPath(root), `${folder}fr/`);
    return readdirSync(new URL(`${fr}/`, root)).map((f) => `${fr}/${f}`);
  }),
  'web/src/locales/fr.json',
  ...readdirSync(new URL('web/src/locales/disclosure/', root))
    .filter((f) => f.endsWith('.fr.json'))
    .map((f) => `web/src/locales/disclosure/${f}`),
];

function* strings(node: unknown, path: string): Generator<[string, string]> {
  if (typeof node === 'string') yield [path, node];
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) yield* strings(value, `${path}.${key}`);
}

describe('French typography', () => {
  it('reads the catalogs of the kernel and of both domains', () => {
    for (const folder of ['src/core/i18n/locales/fr/', 'src/trust/locales/fr/', 'src/disclosure/locales/fr/'])
      expect(frenchCatalogs.some((file) => file.startsWith(folder))).toBe(true);
  });

  it('puts a no-break space before : ; ! ? and inside « », never a plain or no space', () => {
    const wrong: string[] = [];
    for (const file of frenchCatalogs) {
      const catalog = JSON.parse(readFileSync(new URL(file, root), 'utf8'));
      for (const [path, text] of strings(catalog, file)) {
        // Punctuation in use (followed by a space, the end or »), not "https://" or "18:43".
        if (/(^|[^\u00a0\u202f])[:;!?](?=\s|$|»)/.test(text)) wrong.push(`${path}: ${text}`);
        if (/«(?!\u00a0|\u202f)|(?<!\u00a0|\u202f)»/.test(text)) wrong.push(`${path}: ${text}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    ['Acme', 'de Acme', 'd’Acme'],
    ['Idéal SA', 'de Idéal SA', 'd’Idéal SA'],
    ['Umbrella', 'de Umbrella', 'd’Umbrella'],
  ])('elides "de" before %s in French text', (name, wrong, right) => {
    const text = translate('fr', 'mail:layout.footer', { organizationName: name });
    expect(text).toContain(right);
    expect(text).not.toContain(wrong);
  });

  it('keeps "de" before a consonant, and never elides in other languages', () => {
    expect(translate('fr', 'mail:layout.footer', { organizationName: 'Globex' })).toContain('de Globex');
    expect(translate('es', 'mail:layout.footer', { organizationName: 'Acme' })).not.toContain('d’Acme');
  });

  it('elides "que" too, only right before the name', () => {
    expect(translate('fr', 'mail-trust:trust-magic-link.intro', { organizationName: 'Acme' })).toContain(
      'documents qu’Acme a partagés',
    );
  });
});
