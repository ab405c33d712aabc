import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findReportEvents } from '../../../src/disclosure/reports/reports.store.ts';
import { runSlaChecks, SLA_CHECK_JOB } from '../../../src/disclosure/triage/triage.sla.ts';
import { type MadeUser, makeUser } from '../../fixtures/identity.ts';
import { buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';
import { forceState, makeReport } from './triage-helpers.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const at = (date: Date, offsetMs: number) => new Date(date.getTime() + offsetMs);

describe('triage: SLA reminders and alerts (runSlaChecks)', () => {
  let t: TestApp;
  let triager: MadeUser;

  beforeAll(async () => {
    t = await buildTestApp();
    // The team reads its notices in French.
    triager = await makeUser(t.ctx, { role: 'security', locale: 'fr' });
  });
  afterAll(() => t?.close());

  /** SLA notices the triager got about one report. */
  const notices = async (number: number) =>
    (await queuedMails(t.ctx, triager.user.email))
      .map((mail) => mail.subject)
      .filter((subject) => subject.includes(`rapport n° ${number} `) && !subject.includes('Nouveau rapport'));

  it('is scheduled as a periodic job', async () => {
    const { rows } = await t.ctx.database.executeSql(
      'select name, cron from pgboss.schedule where name = $1',
      [SLA_CHECK_JOB],
    );
    expect(rows).toEqual([{ name: SLA_CHECK_JOB, cron: '*/5 * * * *' }]);
  });

  it('reminds the team once within a business day of the deadline, then alerts once when it passes', async () => {
    const report = await makeReport(t.ctx);
    const due = report.responseDueAt;

    await runSlaChecks(t.ctx, report.receivedAt);
    expect(await notices(report.number)).toEqual([]);

    const soon = at(due, -HOUR_MS);
    expect((await runSlaChecks(t.ctx, soon)).reminder).toBeGreaterThanOrEqual(1);
    await runSlaChecks(t.ctx, soon);
    await runSlaChecks(t.ctx, at(due, -HOUR_MS / 2));
    expect(await notices(report.number)).toEqual([
      expect.stringMatching(/^Première réponse bientôt due pour le rapport n° \d+ — /),
    ]);

    const late = at(due, HOUR_MS);
    await runSlaChecks(t.ctx, late);
    await runSlaChecks(t.ctx, late);
    await runSlaChecks(t.ctx, at(due, DAY_MS));
    const sent = await notices(report.number);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatch(/^Délai de première réponse dépassé pour le rapport n° \d+ — /);
    const events = await findReportEvents(t.ctx.database.db, report.id);
    expect(events.filter((e) => e.type === 'sla-notice').map((e) => e.details.kind)).toEqual([
      'reminder',
      'breached',
    ]);
  });

  it('leaves answered and closed reports alone', async () => {
    const answered = await makeReport(t.ctx);
    await forceState(t.ctx, answered, { status: 'triaged', firstResponseAt: new Date() });
    const spam = await makeReport(t.ctx);
    await forceState(t.ctx, spam, { status: 'spam', closedAt: new Date() });
    await runSlaChecks(t.ctx, at(answered.responseDueAt, DAY_MS));
    expect(await notices(answered.number)).toEqual([]);
    expect(await notices(spam.number)).toEqual([]);
  });

  it('alerts once when a fix target passes while the report is being fixed', async () => {
    const fixing = await makeReport(t.ctx);
    const fixDueAt = at(fixing.receivedAt, 7 * DAY_MS);
    await forceState(t.ctx, fixing, {
      status: 'fixing',
      firstResponseAt: new Date(),
      severity: 'critical',
      fixDueAt,
    });
    const resolved = await makeReport(t.ctx);
    await forceState(t.ctx, resolved, { status: 'resolved', firstResponseAt: new Date(), fixDueAt });

    await runSlaChecks(t.ctx, at(fixDueAt, -HOUR_MS));
    expect(await notices(fixing.number)).toEqual([]);
    await runSlaChecks(t.ctx, at(fixDueAt, HOUR_MS));
    await runSlaChecks(t.ctx, at(fixDueAt, 2 * HOUR_MS));
    expect(await notices(fixing.number)).toEqual([
      expect.stringMatching(/^Délai de correction dépassé pour le rapport n° \d+ — /),
    ]);
    expect(await notices(resolved.number)).toEqual([]);
  });

  it('warns once 14 days before the disclosure deadline, unless the report is disclosed', async () => {
    const resolved = await makeReport(t.ctx);
    await forceState(t.ctx, resolved, { status: 'resolved', firstResponseAt: new Date() });
    const disclosed = await makeReport(t.ctx);
    await forceState(t.ctx, disclosed, { status: 'disclosed', firstResponseAt: new Date() });
    const deadline = resolved.disclosureDueAt as Date;
    expect(deadline.getTime() - resolved.receivedAt.getTime()).toBe(90 * DAY_MS);

    await runSlaChecks(t.ctx, at(deadline, -15 * DAY_MS));
    expect(await notices(resolved.number)).toEqual([]);
    await runSlaChecks(t.ctx, at(deadline, -13 * DAY_MS));
    await runSlaChecks(t.ctx, at(deadline, -12 * DAY_MS));
    expect(await notices(resolved.number)).toEqual([
      expect.stringMatching(/^Date de divulgation proche pour le rapport n° \d+ — /),
    ]);
    expect(await notices(disclosed.number)).toEqual([]);
  });
});
