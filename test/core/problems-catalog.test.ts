import '../../src/disclosure/register.ts';
import '../../src/trust/register.ts';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogsDir, hasTranslation, loadCatalogs, locales, translate } from '../../src/core/i18n/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(root, 'src');

// `problem(404, 'user-not-found', …)` in a catalog, or `new Problem(status, 'bad-request', …)` elsewhere.
const PROBLEM_CALL = /\b(?:problem|new Problem)\(\s*[^,()]+,\s*'([^']+)'/g;

/** Every TypeScript file under src/, so a new `src/<domain>/problems.ts` is picked up without editing this test. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function usedCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of sourceFiles(src)) {
    for (const match of readFileSync(file, 'utf8').matchAll(PROBLEM_CALL)) {
      codes.set(match[1] as string, path.relative(root, file));
    }
  }
  return codes;
}

const codes = usedCodes();
const catalogs = loadCatalogs();
const problemsDoc = readFileSync(path.join(root, 'docs/problems.md'), 'utf8');

describe('the problem catalog', () => {
  it('finds the problem codes of the shared kernel and of every domain catalog', () => {
    const catalogFiles = sourceFiles(src).filter((file) => path.basename(file) === 'problems.ts');
    expect(catalogFiles.length).toBeGreaterThan(0);
    // A regex that stopped matching would make every other test here pass vacuously.
    expect(codes.get('not-found')).toBe('src/core/http/problem.ts');
    expect(codes.get('invalid-credentials')).toBe('src/identity/problems.ts');
    for (const file of catalogFiles) {
      const relative = path.relative(root, file);
      expect([...codes.values()], `${relative} declares no problem codes the test can see`).toContain(
        relative,
      );
    }
  });

  it('uses lowercase kebab-case codes, which end up in type URIs', () => {
    const bad = [...codes.keys()].filter((code) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(code));
    expect(bad).toEqual([]);
  });

  for (const locale of locales) {
    it(`gives every code a title of its own in ${locale}`, () => {
      const missing = [...codes].filter(([code]) => {
        const own = catalogs[locale].problems?.[code];
        return typeof own !== 'string' || own.trim() === '';
      });
      expect(
        missing.map(([code, file]) => `${code} (${file})`),
        `add them to ${catalogsDir}${locale}/problems.json`,
      ).toEqual([]);
    });

    it(`translates every code into ${locale} rather than echoing the code`, () => {
      for (const code of codes.keys()) {
        const key = `problems:${code}`;
        expect(hasTranslation(locale, key), key).toBe(true);
        const title = translate(locale, key);
        expect(title, key).not.toBe(code);
        expect(title, key).not.toBe(key);
      }
    });
  }

  it('keeps no title for a code that nothing in src/ uses', () => {
    for (const locale of locales) {
      const stale = Object.keys(catalogs[locale].problems ?? {}).filter((code) => !codes.has(code));
      expect(stale, `${locale}/problems.json`).toEqual([]);
    }
  });

  it('documents every code in docs/problems.md with its status and English title', () => {
    const rows = new Map(
      problemsDoc
        .split('\n')
        .map((line) => /^\|\s*(\S+)\s*\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|/.exec(line))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => [match[2] as string, { status: match[1] as string, title: match[3] as string }]),
    );
    for (const code of codes.keys()) {
      const row = rows.get(code);
      expect(row, `docs/problems.md has no row for ${code}`).toBeDefined();
      expect(row?.title, code).toBe(translate('en', `problems:${code}`));
      expect(row?.status, code).toMatch(/^[45](\d\d|xx)$/);
    }
    expect(
      [...rows.keys()].filter((code) => !codes.has(code)),
      'rows for codes nothing uses',
    ).toEqual([]);
  });
});
