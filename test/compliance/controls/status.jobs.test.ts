import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCatalog } from '../../../src/compliance/catalog/index.ts';
import {
  STATUS_REFRESH_CRON,
  STATUS_REFRESH_JOB,
  statusRefreshJob,
} from '../../../src/compliance/controls/status.jobs.ts';
import { addEvidence } from '../../../src/compliance/evidence/evidence.service.ts';
import { complianceControlStatusHistory, complianceControls } from '../../../src/compliance/tables.ts';
import { systemActor } from '../../../src/core/http/actor.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';

const control = bundledCatalog().controls.find((candidate) => candidate.evidence.length === 1);

describe('the status refresh job', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('is scheduled as a periodic job', async () => {
    const { rows } = await t.ctx.database.executeSql(
      'select name, cron from pgboss.schedule where name = $1',
      [STATUS_REFRESH_JOB],
    );
    expect(rows).toEqual([{ name: STATUS_REFRESH_JOB, cron: STATUS_REFRESH_CRON }]);
  });

  it('turns a control stale once its evidence expires, and records when', async () => {
    if (!control) throw new Error('the catalog needs a control with one kind of evidence');
    const { db } = t.ctx.database;
    const collectedAt = new Date(Date.now() - 3_600_000);
    await addEvidence(db, systemActor('test'), control.id, {
      requirementIndex: 0,
      kind: 'note',
      title: 'Review',
      note: 'Done',
      outcome: 'satisfies',
      coveredFrom: '2026-01-01',
      coveredTo: '2026-03-31',
      collectedAt,
      expiresAt: new Date(Date.now() + 60_000),
    });
    const status = async () =>
      (await db.select().from(complianceControls).where(eq(complianceControls.id, control.id)))[0]?.status;
    expect(await status()).toBe('passing');
    await statusRefreshJob(t.ctx, () => new Date(Date.now() + 120_000)).handle({});
    expect(await status()).toBe('stale');
    const [last] = await db
      .select()
      .from(complianceControlStatusHistory)
      .where(eq(complianceControlStatusHistory.controlId, control.id))
      .orderBy(sql`${complianceControlStatusHistory.id} desc`)
      .limit(1);
    expect(last).toMatchObject({ fromStatus: 'passing', toStatus: 'stale', cause: 'time' });
  });
});
