import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newStorageKey, objectKeyFor } from '../../../src/trust/documents/document-storage.ts';
import { migrateLegacyDocumentFiles } from '../../../src/trust/documents/legacy-files.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';

describe('document files left in the data folder by an earlier version', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t?.close());

  it('move into the shared store once, resumably, and keep a copy aside', async () => {
    const folder = path.join(t.dataDir, 'trust-files');
    mkdirSync(folder, { recursive: true });
    const keys = [newStorageKey(), newStorageKey()];
    for (const key of keys) writeFileSync(path.join(folder, key), `sealed-${key}`);
    writeFileSync(path.join(folder, `${keys[0]}.tmp-abc`), 'half-written');
    // A first start that got as far as one file: it is already in the store.
    await t.ctx.files.put(objectKeyFor(keys[0] as string), `sealed-${keys[0]}`);

    expect(await migrateLegacyDocumentFiles(t.ctx)).toEqual({ migrated: 2, conflicts: 0 });
    for (const key of keys) expect(await t.ctx.files.get(objectKeyFor(key))).toBe(`sealed-${key}`);
    expect(readdirSync(path.join(t.dataDir, 'trust-files.migrated')).sort()).toEqual([...keys].sort());
    expect(existsSync(path.join(folder, keys[1] as string))).toBe(false);
    // Again: nothing left to do.
    expect(await migrateLegacyDocumentFiles(t.ctx)).toEqual({ migrated: 0, conflicts: 0 });
  });
});
