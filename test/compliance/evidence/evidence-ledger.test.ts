import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledCatalog } from '../../../src/compliance/catalog/index.ts';
import { EVIDENCE_GENESIS_HASH } from '../../../src/compliance/evidence/evidence.chain.ts';
import { addEvidence, verifyEvidenceLedger } from '../../../src/compliance/evidence/evidence.service.ts';
import { syncCatalog } from '../../../src/compliance/frameworks/catalog-sync.ts';
import {
  complianceControlStatusHistory,
  complianceControls,
  complianceEvidence,
} from '../../../src/compliance/tables.ts';
import type { Database } from '../../../src/core/db/index.ts';
import { systemActor } from '../../../src/core/http/actor.ts';
import { type Fresh, freshDatabase } from '../fresh-database.ts';

const actor = systemActor('test');
const control = bundledCatalog().controls.find((candidate) => candidate.evidence.length >= 2);
if (!control) throw new Error('the catalog needs a control with two kinds of evidence');
const controlId = control.id;

const note = (
  requirementIndex: number,
  collectedAt: Date,
  extra: Partial<Parameters<typeof addEvidence>[3]> = {},
) => ({
  requirementIndex,
  kind: 'note' as const,
  title: `Evidence ${requirementIndex}`,
  note: `Reviewed on ${collectedAt.toISOString()}`,
  outcome: 'satisfies' as const,
  coveredFrom: '2026-01-01',
  coveredTo: '2026-03-31',
  collectedAt,
  ...extra,
});

async function tamper(database: Database, statement: string): Promise<void> {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql.raw(statement));
  });
}

async function statusOf(database: Database) {
  const [row] = await database.db
    .select()
    .from(complianceControls)
    .where(eq(complianceControls.id, controlId));
  return row?.status;
}

describe('evidence ledger', () => {
  let fresh: Fresh;
  beforeAll(async () => {
    fresh = await freshDatabase();
    await syncCatalog(fresh.database.db, bundledCatalog());
  });
  beforeEach(() =>
    tamper(
      fresh.database,
      'truncate compliance_evidence, compliance_evidence_head, compliance_control_status_history',
    ),
  );
  afterAll(() => fresh.close());

  it('chains items, hashes their content and derives the status from them, recording each change', async () => {
    const { db } = fresh.database;
    await tamper(
      fresh.database,
      `update compliance_controls set status = 'not_started' where id = '${controlId}'`,
    );
    const now = new Date();
    const first = await addEvidence(db, actor, controlId, note(0, now), now);
    expect(first.prevHash).toBe(EVIDENCE_GENESIS_HASH);
    expect(first.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await statusOf(fresh.database)).toBe('stale'); // the second required piece is missing
    const second = await addEvidence(db, actor, controlId, note(1, now), now);
    expect(second.prevHash).toBe(first.hash);
    for (let index = 2; index < control.evidence.length; index += 1)
      await addEvidence(db, actor, controlId, note(index, now), now);
    expect(await statusOf(fresh.database)).toBe('passing');

    // A correction that says the control failed supersedes the first item.
    await addEvidence(db, actor, controlId, note(0, now, { outcome: 'fails', supersedes: first.id }), now);
    expect(await statusOf(fresh.database)).toBe('failing');
    const history = await db
      .select()
      .from(complianceControlStatusHistory)
      .where(eq(complianceControlStatusHistory.controlId, controlId))
      .orderBy(complianceControlStatusHistory.id);
    expect(history.map((row) => row.toStatus)).toEqual(['stale', 'passing', 'failing']);
    expect(await verifyEvidenceLedger(db)).toMatchObject({ ok: true, checked: control.evidence.length + 1 });
  });

  it('refuses a second correction of the same item and evidence for a piece the control does not require', async () => {
    const { db } = fresh.database;
    const now = new Date();
    const first = await addEvidence(db, actor, controlId, note(0, now), now);
    await addEvidence(db, actor, controlId, note(0, now, { supersedes: first.id }), now);
    await expect(
      addEvidence(db, actor, controlId, note(0, now, { supersedes: first.id }), now),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(addEvidence(db, actor, controlId, note(99, now), now)).rejects.toMatchObject({
      status: 422,
    });
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const { db } = fresh.database;
    await addEvidence(db, actor, controlId, note(0, new Date()));
    for (const statement of [
      "update compliance_evidence set title = 'x'",
      'delete from compliance_evidence',
      'truncate compliance_evidence',
    ])
      await expect(fresh.database.executeSql(statement)).rejects.toThrow();
    expect(await db.$count(complianceEvidence)).toBe(1);
  });

  it('verify names the first altered item, then the first missing one', async () => {
    const { db } = fresh.database;
    const items = [];
    for (let i = 0; i < 4; i += 1) items.push(await addEvidence(db, actor, controlId, note(0, new Date())));
    await tamper(fresh.database, `update compliance_evidence set title = 'forged' where seq = 2`);
    expect(await verifyEvidenceLedger(db)).toMatchObject({
      ok: false,
      firstBrokenSeq: 2,
      firstBrokenId: items[1]?.id,
    });
    await tamper(fresh.database, `delete from compliance_evidence where seq = 2`);
    expect(await verifyEvidenceLedger(db)).toMatchObject({
      ok: false,
      firstBrokenSeq: 2,
      firstBrokenId: null,
    });
  });

  it('verify notices the newest items removed', async () => {
    const { db } = fresh.database;
    for (let i = 0; i < 3; i += 1) await addEvidence(db, actor, controlId, note(0, new Date()));
    await tamper(fresh.database, 'delete from compliance_evidence where seq = 3');
    expect(await verifyEvidenceLedger(db)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('evidence past its freshness makes the control stale when statuses are refreshed', async () => {
    const { db } = fresh.database;
    const collected = new Date('2026-01-10T00:00:00Z');
    for (let index = 0; index < control.evidence.length; index += 1)
      await addEvidence(db, actor, controlId, note(index, collected), collected);
    expect(await statusOf(fresh.database)).toBe('passing');
    const { refreshControlStatuses } = await import('../../../src/compliance/controls/status.store.ts');
    const later = new Date(collected.getTime() + 1100 * 86_400_000);
    await db.transaction((tx) => refreshControlStatuses(tx, { now: later, cause: 'time' }));
    expect(await statusOf(fresh.database)).toBe('stale');
  });
});
