import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EnvSchema } from '../../src/core/config/config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** Rows of the environment table: `| \`NAME\` | default | meaning |`. */
function documentedVariables(): Map<string, string> {
  const rows = read('docs/configuration.md')
    .split('\n')
    .map((line) => /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*([^|]*?)\s*\|/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null);
  return new Map(rows.map((match) => [match[1] as string, match[2] as string]));
}

describe('docs/configuration.md', () => {
  const documented = documentedVariables();
  const keys = Object.keys(EnvSchema.shape);

  it('has a row for every environment variable Attest reads', () => {
    expect(keys.filter((key) => !documented.has(key))).toEqual([]);
  });

  it('documents no variable that Attest does not read', () => {
    expect([...documented.keys()].filter((key) => !keys.includes(key))).toEqual([]);
  });

  it('states each default exactly as the schema applies it', () => {
    const defaults = EnvSchema.parse({}) as Record<string, unknown>;
    for (const key of keys) {
      const cell = documented.get(key);
      if (defaults[key] === undefined) {
        // Optional without a default: the doc says so, or names what is derived instead.
        expect(cell, key).toMatch(/^(unset|`[^`]+`)$/);
      } else {
        expect(cell, key).toBe(`\`${String(defaults[key])}\``);
      }
    }
  });
});

describe('README.md', () => {
  const readme = read('README.md');

  it('gives the install, start and test commands', () => {
    expect(readme).toContain('npm install');
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
  });

  it('links only to documents that exist', () => {
    const links = [...readme.matchAll(/\]\(((?:docs\/|\.\/)?[\w./-]+\.md)(?:#[\w-]+)?\)/g)].map(
      (match) => match[1] as string,
    );
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !existsSync(path.join(root, link)))).toEqual([]);
  });
});
