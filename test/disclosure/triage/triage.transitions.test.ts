import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMessages } from '../../../src/disclosure/reports/messages.service.ts';
import type { ReportRow } from '../../../src/disclosure/reports/reports.store.ts';
import { type ReportStatus, reportStatuses } from '../../../src/disclosure/tables.ts';
import { todayIn } from '../../../src/disclosure/triage/triage.service.ts';
import { CLOSING_STATUSES, TRANSITIONS } from '../../../src/disclosure/triage/triage.states.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';
import { forceState, makeReport, researcherEmail, TRIAGE_API } from './triage-helpers.ts';

const allowed = reportStatuses.flatMap((from) => TRANSITIONS[from].map((to) => [from, to] as const));

/** The history a report in `status` would have had, so the table is the only thing tested. */
function historyOf(status: ReportStatus): Partial<ReportRow> {
  const now = new Date();
  return {
    status,
    triagedAt: status === 'new' ? null : now,
    resolvedAt: status === 'resolved' || status === 'disclosed' ? now : null,
    closedAt: (CLOSING_STATUSES as readonly string[]).includes(status) ? now : null,
  };
}

describe('triage: status transitions and the first response over HTTP', () => {
  let t: TestApp;
  let security: SignedIn;
  let original: ReportRow;

  beforeAll(async () => {
    t = await buildTestApp();
    security = await loginAs(t.app, t.ctx, 'security');
    original = await makeReport(t.ctx, { title: 'The original report' });
  });
  afterAll(() => t?.close());

  const transition = (reportId: string, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: `${TRIAGE_API}/reports/${reportId}/transition`,
      headers: security.headers,
      payload,
    });
  const firstResponse = (reportId: string, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: `${TRIAGE_API}/reports/${reportId}/first-response`,
      headers: security.headers,
      payload,
    });
  const detail = async (reportId: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `${TRIAGE_API}/reports/${reportId}`,
      headers: security.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it.each(allowed)('%s → %s: allowed, audited, and the researcher is told in French', async (from, to) => {
    const email = researcherEmail();
    const report = await forceState(t.ctx, await makeReport(t.ctx, { locale: 'fr', email }), historyOf(from));
    const mailsBefore = (await queuedMails(t.ctx, email)).length;
    const audited = (await auditEntries(t.ctx, 'disclosure.report.status-changed')).length;

    const res = await transition(report.id, {
      to,
      ...(to === 'duplicate' ? { duplicateOf: original.number } : {}),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: report.id, status: to, subStatus: null });

    const entries = await auditEntries(t.ctx, 'disclosure.report.status-changed');
    expect(entries).toHaveLength(audited + 1);
    expect(entries.at(-1)).toMatchObject({ targetId: report.id, details: { from, to } });
    const mails = await queuedMails(t.ctx, email);
    expect(mails).toHaveLength(mailsBefore + 1);
    expect(mails.at(-1)?.subject).toContain(`Votre rapport de sécurité n° ${report.number} a été mis à jour`);
  });

  it('refuses transitions the table does not list, changes nothing and mails nobody', async () => {
    const email = researcherEmail();
    const report = await forceState(t.ctx, await makeReport(t.ctx, { email }), historyOf('disclosed'));
    const before = (await queuedMails(t.ctx, email)).length;
    for (const to of ['triaged', 'new', 'fixing'] as const) {
      const res = await transition(report.id, { to });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'disclosure-transition-refused', from: 'disclosed', to });
    }
    const fresh = await makeReport(t.ctx, { email });
    const skip = await transition(fresh.id, { to: 'resolved' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().allowedStatuses).toEqual(TRANSITIONS.new);
    const badSub = await transition(fresh.id, { to: 'triaged', subStatus: 'retest' });
    expect(badSub.statusCode).toBe(409);
    expect((await detail(report.id)).status).toBe('disclosed');
    expect((await detail(fresh.id)).status).toBe('new');
    // Only the receipt of the fresh report went to the researcher.
    expect(await queuedMails(t.ctx, email)).toHaveLength(before + 1);
  });

  it('needs the original of a duplicate, records it, and forgets it when re-opened', async () => {
    const report = await makeReport(t.ctx);
    const without = await transition(report.id, { to: 'duplicate' });
    expect(without.statusCode).toBe(422);
    expect(without.json().errors[0].pointer).toBe('/duplicateOf');
    expect((await transition(report.id, { to: 'duplicate', duplicateOf: report.id })).statusCode).toBe(422);
    expect((await transition(report.id, { to: 'duplicate', duplicateOf: 999_999 })).statusCode).toBe(422);

    expect((await transition(report.id, { to: 'duplicate', duplicateOf: original.id })).statusCode).toBe(200);
    const closed = await detail(report.id);
    expect(closed.duplicateOf).toEqual({ id: original.id, number: original.number, status: 'new' });
    expect(closed.closedAt).not.toBeNull();
    expect(closed.triagedAt).not.toBeNull();

    expect((await transition(report.id, { to: 'triaged' })).statusCode).toBe(200);
    const reopened = await detail(report.id);
    expect(reopened).toMatchObject({ status: 'triaged', duplicateOf: null, closedAt: null });
    const lines = reopened.messages.filter((m: { kind: string }) => m.kind === 'system');
    expect(lines.map((m: { body: string }) => m.body)).toEqual([
      'The report was closed as a duplicate.',
      'The report was re-opened.',
    ]);
  });

  it('refuses a first response without an assessment or an expected resolution date (422)', async () => {
    const report = await makeReport(t.ctx);
    const cases = [
      [{ expectedResolutionOn: '2099-01-31' }, '/assessment', 'assessment'],
      [{ assessment: '   ', expectedResolutionOn: '2099-01-31' }, '/assessment', 'assessment'],
      // Absent: the field is required (every required field says so the same way).
      [{ assessment: 'Confirmed.' }, '/expectedResolutionOn', 'expectedResolutionOn: Required'],
      [
        { assessment: 'Confirmed.', expectedResolutionOn: 'next week' },
        '/expectedResolutionOn',
        'YYYY-MM-DD',
      ],
      [{ assessment: 'Confirmed.', expectedResolutionOn: '2020-01-01' }, '/expectedResolutionOn', 'past'],
    ] as const;
    for (const [payload, pointer, words] of cases) {
      const res = await firstResponse(report.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().code).toBe('validation-failed');
      expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
      expect(res.json().detail).toContain(words);
    }
    const refused = await firstResponse(report.id, {});
    expect(
      refused
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
    ).toEqual(['/assessment', '/expectedResolutionOn']);
    expect((await detail(report.id)).firstResponseAt).toBeNull();
    expect(await auditEntries(t.ctx, 'disclosure.report.first-response-sent')).toEqual([]);
  });

  it('sends the first response once: triages, records the time, mails it in the researcher’s language', async () => {
    const email = researcherEmail();
    const report = await makeReport(t.ctx, { locale: 'es', email });
    const today = todayIn('UTC');
    const res = await firstResponse(report.id, {
      assessment: 'Hemos reproducido el XSS; la gravedad es alta.',
      expectedResolutionOn: today,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'triaged', sla: { state: 'met' } });
    expect(res.json().firstResponseAt).not.toBeNull();

    const mails = await queuedMails(t.ctx, email);
    // The receipt, then exactly one mail: the first response (it also says the report is triaged).
    expect(mails).toHaveLength(2);
    expect(mails[1]?.subject).toContain(`Nuestra evaluación de su informe de seguridad n.º ${report.number}`);
    expect(mails[1]?.text).toContain('Hemos reproducido el XSS; la gravedad es alta.');

    const full = await detail(report.id);
    expect(full.expectedResolutionOn).toBe(today);
    const first = full.messages.find((m: { isFirstResponse: boolean }) => m.isFirstResponse);
    expect(first).toMatchObject({ kind: 'team' });
    expect(first.body).toContain('Fecha prevista de resolución');
    expect(full.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['received', 'status-changed', 'first-response']),
    );
    const [entry] = await auditEntries(t.ctx, 'disclosure.report.first-response-sent');
    expect(entry).toMatchObject({ targetId: report.id, details: { withinSla: true, status: 'triaged' } });

    const again = await firstResponse(report.id, { assessment: 'Again', expectedResolutionOn: today });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('disclosure-first-response-sent');
    expect(await queuedMails(t.ctx, email)).toHaveLength(2);
  });

  it('walks the whole life cycle, stamping each step, mailing each status with the message', async () => {
    const email = researcherEmail();
    const report = await makeReport(t.ctx, { email });
    expect(
      (
        await firstResponse(report.id, {
          assessment: 'Valid.',
          expectedResolutionOn: '2099-12-31',
          status: 'accepted',
        })
      ).json().status,
    ).toBe('accepted');
    const more = await transition(report.id, {
      to: 'accepted',
      subStatus: 'needs_more_info',
      message: 'Which browser did you use?',
    });
    expect(more.json()).toMatchObject({ status: 'accepted', subStatus: 'needs_more_info' });
    let mails = await queuedMails(t.ctx, email);
    expect(mails.at(-1)?.text).toContain('We need more information from you to continue.');
    expect(mails.at(-1)?.text).toContain('Which browser did you use?');
    const count = mails.length;

    // Clearing the sub-state is internal: no mail, no system line.
    expect((await transition(report.id, { to: 'accepted', subStatus: null })).json().subStatus).toBeNull();
    expect(await queuedMails(t.ctx, email)).toHaveLength(count);

    expect((await transition(report.id, { to: 'fixing' })).statusCode).toBe(200);
    const resolved = await transition(report.id, { to: 'resolved', subStatus: 'retest' });
    expect(resolved.json()).toMatchObject({ status: 'resolved', subStatus: 'retest' });
    expect((await transition(report.id, { to: 'disclosed' })).statusCode).toBe(200);

    mails = await queuedMails(t.ctx, email);
    expect(mails.slice(count).map((mail) => mail.text.split('\n\n')[2])).toEqual([
      'We are working on a fix.',
      'We believe the issue is fixed. Could you check whether the fix works for you?',
      'The vulnerability has been publicly disclosed.',
    ]);
    const full = await detail(report.id);
    expect(full).toMatchObject({ status: 'disclosed', subStatus: null, allowedTransitions: [] });
    for (const stamp of ['triagedAt', 'resolvedAt', 'disclosedAt', 'firstResponseAt'])
      expect(full[stamp]).not.toBeNull();
    expect(full.closedAt).toBeNull();
  });

  it('mails team messages to the researcher, never internal notes', async () => {
    const email = researcherEmail();
    const report = await makeReport(t.ctx, { email });
    const post = (kind: 'messages' | 'notes', body: string) =>
      t.app.inject({
        method: 'POST',
        url: `${TRIAGE_API}/reports/${report.id}/${kind}`,
        headers: security.headers,
        payload: { body },
      });
    const note = await post('notes', 'Looks like the same bug as #3; the researcher is a former employee.');
    expect(note.statusCode).toBe(201);
    expect(note.json()).toMatchObject({ kind: 'note', authorUserId: security.made.user.id });
    const message = await post('messages', 'Thanks, we are looking into it.');
    expect(message.statusCode).toBe(201);

    const mails = await queuedMails(t.ctx, email);
    expect(mails).toHaveLength(2);
    expect(mails[1]?.text).toContain('Thanks, we are looking into it.');
    for (const mail of mails) expect(mail.text + mail.html).not.toContain('former employee');

    const seen = await listMessages(t.ctx, t.ctx.database.db, report.id, 'researcher');
    expect(seen.map((m) => m.body)).toEqual(['Thanks, we are looking into it.']);
    const team = (await detail(report.id)).messages.map((m: { kind: string }) => m.kind);
    expect(team).toEqual(['note', 'team']);
    expect(await auditEntries(t.ctx, 'disclosure.note.added')).toHaveLength(1);
  });
});
