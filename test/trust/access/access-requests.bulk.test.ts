import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustAccessRequests, trustGrants, trustVisitors } from '../../../src/trust/tables.ts';
import { publishGatedDocument, requestAndConfirm, TRUST_API, visitorEmail } from '../../fixtures/access.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import type { MadeDocument } from '../../fixtures/trust.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';

describe('access requests: bulk approve and deny', () => {
  let t: TestApp;
  let admin: SignedIn;
  let doc: MadeDocument;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    doc = await publishGatedDocument(t.ctx, { accessLevel: 'nda', title: { en: 'Pen test summary' } });
  });
  afterAll(() => t?.close());

  const db = () => t.ctx.database.db;
  const pendingRequest = async () => {
    const email = visitorEmail();
    await requestAndConfirm(t.app, t.ctx, { slug: doc.slug, email });
    const [visitor] = await db().select().from(trustVisitors).where(eq(trustVisitors.email, email));
    const [request] = await db()
      .select()
      .from(trustAccessRequests)
      .where(eq(trustAccessRequests.visitorId, visitor?.id as string));
    return { email, id: request?.id as string };
  };
  const statusOf = async (id: string) =>
    (await db().select().from(trustAccessRequests).where(eq(trustAccessRequests.id, id)))[0]?.status;
  const bulk = (payload: Record<string, unknown>, headers = admin.headers) =>
    t.app.inject({ method: 'POST', url: `${TRUST_API}/access-requests/bulk`, headers, payload });

  it('approves the pending ones, reports the decided one, grants, mails and audits each', async () => {
    const a = await pendingRequest();
    const b = await pendingRequest();
    const decided = await pendingRequest();
    expect((await bulk({ requestIds: [decided.id], action: { type: 'deny' } })).json()).toMatchObject({
      updated: 1,
    });
    const audited = (await auditEntries(t.ctx, 'trust.access-request.approved')).length;

    const res = await bulk({
      requestIds: [a.id, decided.id, b.id],
      action: { type: 'approve', expiresInDays: 7 },
    });

    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      updated: 2,
      refused: 1,
      results: [
        { id: a.id, ok: true },
        { id: decided.id, ok: false, problem: { status: 409 } },
        { id: b.id, ok: true },
      ],
    });
    expect(await statusOf(a.id)).toBe('approved');
    expect(await statusOf(b.id)).toBe('approved');
    expect(await statusOf(decided.id)).toBe('denied');
    const grants = await db().select().from(trustGrants).where(eq(trustGrants.requestId, a.id));
    expect(grants).toHaveLength(1);
    const entries = (await auditEntries(t.ctx, 'trust.access-request.approved')).slice(audited);
    expect(entries.map((entry) => entry.targetId).sort()).toEqual([a.id, b.id].sort());
    expect((await queuedMails(t.ctx, b.email)).length).toBeGreaterThanOrEqual(2);
  });

  it('denies several with a note, each audited; an unknown id is a 404 result', async () => {
    const a = await pendingRequest();
    const b = await pendingRequest();
    const missing = randomUUID();
    const audited = (await auditEntries(t.ctx, 'trust.access-request.denied')).length;

    const res = await bulk({
      requestIds: [a.id, b.id, missing],
      action: { type: 'deny', note: 'Unknown company' },
    });

    expect(res.json()).toMatchObject({
      updated: 2,
      refused: 1,
      results: [{ ok: true }, { ok: true }, { id: missing, ok: false, problem: { status: 404 } }],
    });
    const entries = (await auditEntries(t.ctx, 'trust.access-request.denied')).slice(audited);
    expect(entries.map((entry) => entry.targetId).sort()).toEqual([a.id, b.id].sort());
    expect(entries[0]?.details).toMatchObject({ automatic: false, note: 'Unknown company' });
  });

  it('needs trust.access.manage: an auditor may read requests but not decide them', async () => {
    const auditor = await loginAs(t.app, t.ctx, 'auditor');
    const a = await pendingRequest();
    expect((await bulk({ requestIds: [a.id], action: { type: 'deny' } }, auditor.headers)).statusCode).toBe(
      403,
    );
    expect(await statusOf(a.id)).toBe('pending');
  });

  it('validates the body', async () => {
    expect((await bulk({ requestIds: [], action: { type: 'deny' } })).statusCode).toBe(422);
    const both = { type: 'approve', level: 'nda', documentIds: [doc.id] };
    expect((await bulk({ requestIds: [randomUUID()], action: both })).statusCode).toBe(422);
  });
});
