import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const ACTION_LITERAL = /'([a-z]+(?:\.[a-z-]+)+)'/g;

/**
 * Every audit action written as a string literal in src/: after `action:` (a literal or a
 * conditional between two), or inside an `actions: { … }` table such as the content collections keep.
 */
function actionsInSource(): Set<string> {
  const actions = new Set<string>();
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const places = [
      ...text.matchAll(/\baction:\s*([^,\n}]+)/g),
      ...text.matchAll(/\bactions:\s*\{([^}]*)\}/g),
    ];
    for (const match of places) {
      for (const literal of (match[1] ?? '').matchAll(ACTION_LITERAL)) actions.add(literal[1] as string);
    }
  }
  return actions;
}

describe('docs/audit-log.md', () => {
  it('lists every audit action the code records', () => {
    const doc = readFileSync(path.join(root, 'docs/audit-log.md'), 'utf8');
    const actions = actionsInSource();
    expect(actions.size).toBeGreaterThan(20);
    const missing = [...actions].filter((action) => !doc.includes(`\`${action}\``));
    expect(missing).toEqual([]);
  });
});
