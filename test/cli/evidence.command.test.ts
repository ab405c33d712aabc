import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCatalog } from '../../src/compliance/catalog/index.ts';
import { addEvidence } from '../../src/compliance/evidence/evidence.service.ts';
import { syncCatalog } from '../../src/compliance/frameworks/catalog-sync.ts';
import { systemActor } from '../../src/core/http/actor.ts';
import { type Installation, makeInstallation, runCli, withInstallation } from '../helpers/cli.ts';

const SLOW = 180_000;

describe('attest evidence verify', () => {
  let installation: Installation;
  const ids: string[] = [];
  beforeAll(async () => {
    installation = await makeInstallation();
    await withInstallation(installation, async (ctx) => {
      await syncCatalog(ctx.database.db, bundledCatalog());
      const controlId = bundledCatalog().controls[0]?.id ?? '';
      for (let i = 0; i < 3; i += 1) {
        const row = await addEvidence(ctx.database.db, systemActor('test'), controlId, {
          requirementIndex: 0,
          kind: 'note',
          title: `Review ${i}`,
          note: `Quarterly review ${i}`,
          outcome: 'satisfies',
          coveredFrom: '2026-01-01',
          coveredTo: '2026-03-31',
          collectedAt: new Date(),
        });
        ids.push(row.id);
      }
    });
  }, SLOW);
  afterAll(() => installation.remove());

  it('passes on an intact ledger, then exits 1 naming the first altered item', {
    timeout: SLOW,
  }, async () => {
    const intact = await runCli(installation, ['evidence', 'verify']);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/^OK: 3 evidence items, head [0-9a-f]{64}\n$/);

    await withInstallation(installation, (ctx) =>
      ctx.database.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`update compliance_evidence set note = 'forged' where seq = 2`);
      }),
    );
    const broken = await runCli(installation, ['evidence', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN at evidence item 2 (${ids[1]})`);
    expect(broken.stdout).toContain('was altered');
  });
});
