import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findReportById } from '../../../src/disclosure/reports/reports.store.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { forceState, makeReport, TRIAGE_API } from './triage-helpers.ts';

describe('triage: bulk actions on the inbox', () => {
  let t: TestApp;
  let security: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    security = await loginAs(t.app, t.ctx, 'security');
  });
  afterAll(() => t?.close());

  const bulk = (payload: Record<string, unknown>, headers = security.headers) =>
    t.app.inject({ method: 'POST', url: `${TRIAGE_API}/reports/bulk`, headers, payload });

  it('transitions each report it may, reports the refused one, and audits each change', async () => {
    const a = await makeReport(t.ctx);
    const b = await makeReport(t.ctx);
    const disclosed = await forceState(t.ctx, await makeReport(t.ctx), { status: 'disclosed' });
    const missing = randomUUID();
    const audited = (await auditEntries(t.ctx, 'disclosure.report.status-changed')).length;

    const res = await bulk({
      reportIds: [a.id, b.id, disclosed.id, missing, a.id],
      action: { type: 'transition', to: 'informative', message: 'Thanks, nothing to fix.' },
    });

    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ updated: 2, refused: 2 });
    expect(body.results).toHaveLength(4);
    expect(body.results[0]).toEqual({ id: a.id, ok: true });
    expect(body.results[1]).toEqual({ id: b.id, ok: true });
    expect(body.results[2]).toMatchObject({ id: disclosed.id, ok: false, problem: { status: 409 } });
    expect(body.results[3]).toMatchObject({ id: missing, ok: false, problem: { status: 404 } });
    expect((await findReportById(t.ctx.database.db, a.id))?.status).toBe('informative');
    expect((await findReportById(t.ctx.database.db, b.id))?.status).toBe('informative');
    expect((await findReportById(t.ctx.database.db, disclosed.id))?.status).toBe('disclosed');
    const entries = (await auditEntries(t.ctx, 'disclosure.report.status-changed')).slice(audited);
    expect(entries.map((entry) => entry.targetId).sort()).toEqual([a.id, b.id].sort());
    expect(entries.every((entry) => entry.actorId === security.made.user.id)).toBe(true);
  });

  it('assigns and unassigns several reports, audited as the single update', async () => {
    const a = await makeReport(t.ctx);
    const b = await makeReport(t.ctx);
    const audited = (await auditEntries(t.ctx, 'disclosure.report.updated')).length;

    const assigned = await bulk({
      reportIds: [a.id, b.id],
      action: { type: 'assign', assigneeId: security.made.user.id },
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json()).toMatchObject({ updated: 2, refused: 0 });
    expect((await findReportById(t.ctx.database.db, b.id))?.assigneeId).toBe(security.made.user.id);
    const entries = (await auditEntries(t.ctx, 'disclosure.report.updated')).slice(audited);
    expect(entries.map((entry) => entry.targetId).sort()).toEqual([a.id, b.id].sort());

    const unassigned = await bulk({ reportIds: [a.id], action: { type: 'assign', assigneeId: null } });
    expect(unassigned.json()).toMatchObject({ updated: 1 });
    expect((await findReportById(t.ctx.database.db, a.id))?.assigneeId).toBeNull();
  });

  it('refuses an unknown assignee per report, in the caller’s language', async () => {
    const a = await makeReport(t.ctx);
    const res = await bulk(
      { reportIds: [a.id], action: { type: 'assign', assigneeId: randomUUID() } },
      { ...security.headers, 'accept-language': 'fr' },
    );
    expect(res.statusCode).toBe(200);
    const [result] = res.json().results;
    expect(result).toMatchObject({ id: a.id, ok: false });
    expect(result.problem.status).toBeGreaterThanOrEqual(400);
    expect(result.problem.title).not.toBe(result.problem.code);
  });

  it('validates the body: 1–100 ids, a known action', async () => {
    expect((await bulk({ reportIds: [], action: { type: 'assign', assigneeId: null } })).statusCode).toBe(
      422,
    );
    const tooMany = Array.from({ length: 101 }, () => randomUUID());
    expect(
      (await bulk({ reportIds: tooMany, action: { type: 'assign', assigneeId: null } })).statusCode,
    ).toBe(422);
    expect((await bulk({ reportIds: [randomUUID()], action: { type: 'delete' } })).statusCode).toBe(422);
  });

  it('needs disclosure.report.manage, like the single actions', async () => {
    const auditor = await loginAs(t.app, t.ctx, 'auditor');
    const a = await makeReport(t.ctx);
    const res = await bulk(
      { reportIds: [a.id], action: { type: 'transition', to: 'spam' } },
      auditor.headers,
    );
    expect(res.statusCode).toBe(403);
    expect((await findReportById(t.ctx.database.db, a.id))?.status).toBe('new');
  });
});
