import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeDownload } from '../../../src/trust/access/grants.service.ts';
import {
  trustAccessRequests,
  trustEvents,
  trustGrants,
  trustVisitors,
  trustVisitorTokens,
} from '../../../src/trust/tables.ts';
import {
  linkInMail,
  postForm,
  publishGatedDocument,
  requestAndConfirm,
  signInByMail,
  TRUST_API,
  visit,
  visitorEmail,
} from '../../fixtures/access.ts';
import { loginAs, type SignedIn, uniqueIp } from '../../fixtures/identity.ts';
import { type MadeDocument, makeVisitor } from '../../fixtures/trust.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';

describe('grants and visitor access', () => {
  let t: TestApp;
  let admin: SignedIn;
  let requestDoc: MadeDocument;
  let ndaDoc: MadeDocument;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    requestDoc = await publishGatedDocument(t.ctx, {
      accessLevel: 'request',
      title: { en: 'Pentest summary' },
    });
    ndaDoc = await publishGatedDocument(t.ctx, {
      accessLevel: 'nda',
      title: { en: 'SOC 2 report', es: 'Informe SOC 2' },
    });
  });
  afterAll(() => t?.close());

  const db = () => t.ctx.database.db;

  /** A visitor whose request for `slug` an admin approved; returns their e-mail and request id. */
  const approvedVisitor = async (slug: string, payload: Record<string, unknown> = {}) => {
    const email = visitorEmail();
    await requestAndConfirm(t.app, t.ctx, { slug, email });
    const [visitor] = await db().select().from(trustVisitors).where(eq(trustVisitors.email, email));
    const [request] = await db()
      .select()
      .from(trustAccessRequests)
      .where(eq(trustAccessRequests.visitorId, visitor?.id as string));
    const res = await t.app.inject({
      method: 'POST',
      url: `${TRUST_API}/access-requests/${request?.id}/approve`,
      headers: admin.headers,
      payload,
    });
    expect(res.statusCode).toBe(200);
    return { email, visitorId: visitor?.id as string, grantId: res.json().grant.id as string };
  };

  describe('the e-mailed sign-in link', () => {
    it('opens a page with one button; only the POST spends it, redirecting to the personal page', async () => {
      const { email } = await approvedVisitor(requestDoc.slug);
      const login = await linkInMail(t.ctx, email, '/access/login/');
      const page = await visit(t.app, login);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<form method="post" action="${login}">`);
      // Opening it twice (a mail scanner, then the visitor) spends nothing.
      expect((await visit(t.app, login)).statusCode).toBe(200);
      const exchanged = await t.app.inject({ method: 'POST', url: login, remoteAddress: uniqueIp() });
      expect(exchanged.statusCode).toBe(303);
      expect(exchanged.headers.location).toMatch(/^\/en\/access\/[A-Za-z0-9_-]{43}$/);
      expect(exchanged.headers['set-cookie']).toBeUndefined();
      const personal = await visit(t.app, exchanged.headers.location as string);
      expect(personal.statusCode).toBe(200);
      expect(personal.body).toContain('Pentest summary');
      expect(personal.body).toContain(`${exchanged.headers.location}/documents/${requestDoc.slug}/download`);
      expect(personal.headers['cache-control']).toBe('no-store');
      expect(personal.headers['x-robots-tag']).toBe('noindex');
    });

    it('answers a replayed link with 404 and issues no second access token', async () => {
      const { email, visitorId } = await approvedVisitor(requestDoc.slug);
      const login = await linkInMail(t.ctx, email, '/access/login/');
      await signInByMail(t.app, t.ctx, email);
      const replay = await t.app.inject({ method: 'POST', url: login, remoteAddress: uniqueIp() });
      expect(replay.statusCode).toBe(404);
      expect(replay.body).toContain('This link is no longer valid');
      expect((await visit(t.app, login)).statusCode).toBe(404);
      const access = await db()
        .select()
        .from(trustVisitorTokens)
        .where(and(eq(trustVisitorTokens.visitorId, visitorId), eq(trustVisitorTokens.purpose, 'access')));
      expect(access).toHaveLength(1);
    });

    it('answers an expired link with 404 and issues no access token', async () => {
      const { email, visitorId } = await approvedVisitor(requestDoc.slug);
      const login = await linkInMail(t.ctx, email, '/access/login/');
      await db()
        .update(trustVisitorTokens)
        .set({ expiresAt: new Date(Date.now() - 1) })
        .where(
          and(eq(trustVisitorTokens.visitorId, visitorId), eq(trustVisitorTokens.purpose, 'magic-link')),
        );
      expect((await visit(t.app, login)).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'POST', url: login, remoteAddress: uniqueIp() })).statusCode).toBe(
        404,
      );
      const access = await db()
        .select()
        .from(trustVisitorTokens)
        .where(and(eq(trustVisitorTokens.visitorId, visitorId), eq(trustVisitorTokens.purpose, 'access')));
      expect(access).toEqual([]);
    });

    it('gives an access token that expires with the grant', async () => {
      const { email, grantId } = await approvedVisitor(requestDoc.slug, { expiresInDays: 3 });
      const path = await signInByMail(t.app, t.ctx, email);
      const [grant] = await db().select().from(trustGrants).where(eq(trustGrants.id, grantId));
      const [token] = await db()
        .select()
        .from(trustVisitorTokens)
        .where(
          and(
            eq(trustVisitorTokens.visitorId, grant?.visitorId as string),
            eq(trustVisitorTokens.purpose, 'access'),
          ),
        );
      expect(token?.expiresAt.getTime()).toBe(grant?.expiresAt.getTime());
      expect(path).not.toContain(token?.tokenHash);
    });
  });

  describe('the personal page', () => {
    it('answers 404 for tampered or unknown access tokens', async () => {
      const visitor = await makeVisitor(t.ctx, { grant: { documentIds: [requestDoc.id] } });
      const flipped = `${visitor.accessToken.slice(0, -1)}${visitor.accessToken.endsWith('A') ? 'B' : 'A'}`;
      for (const token of [flipped, 'short', `${visitor.accessToken}x`, visitor.accessToken.slice(0, 30)]) {
        const res = await visit(t.app, `/en/access/${token}`);
        expect(res.statusCode, token).toBe(404);
        expect(res.body).not.toContain(visitor.email);
      }
      expect((await visit(t.app, `/en/access/${visitor.accessToken}`)).statusCode).toBe(200);
    });

    it('records a view of every listed document, in the analytics and the audit log', async () => {
      const visitor = await makeVisitor(t.ctx, { grant: { level: 'nda' } });
      await visit(t.app, `/es/access/${visitor.accessToken}`);
      const views = await db()
        .select()
        .from(trustEvents)
        .where(and(eq(trustEvents.visitorId, visitor.id), eq(trustEvents.type, 'viewed')));
      expect(views.map((event) => event.documentId).sort()).toEqual([requestDoc.id, ndaDoc.id].sort());
      expect(views[0]).toMatchObject({ company: visitor.company, locale: 'es' });
      const audit = (await auditEntries(t.ctx, 'trust.access-page.viewed')).at(-1);
      expect(audit?.targetId).toBe(visitor.id);
      expect(audit).toMatchObject({ actorType: 'visitor', actorId: visitor.id });
    });

    it('offers the NDA instead of the download for nda documents until an NDA is in place', async () => {
      const visitor = await makeVisitor(t.ctx, { grant: { level: 'nda' } });
      const page = await visit(t.app, `/es/access/${visitor.accessToken}`);
      expect(page.body).toContain('Informe SOC 2');
      expect(page.body).toContain(`/es/access/${visitor.accessToken}/nda`);
      expect(page.body).not.toContain(`/documents/${ndaDoc.slug}/download`);
      expect(page.body).toContain(`/documents/${requestDoc.slug}/download`);
      const exempt = await makeVisitor(t.ctx, { grant: { level: 'nda' }, ndaExempt: true });
      const exemptPage = await visit(t.app, `/es/access/${exempt.accessToken}`);
      expect(exemptPage.body).toContain(`/documents/${ndaDoc.slug}/download`);
    });
  });

  describe('authorizeDownload', () => {
    const authorize = (accessToken: string, doc: MadeDocument, accessLevel: 'request' | 'nda') =>
      authorizeDownload(t.ctx, { accessToken, documentId: doc.id, accessLevel });

    it('allows a document the grant names, with the visitor for the watermark', async () => {
      const visitor = await makeVisitor(t.ctx, {
        name: 'Zoë Łukasz 田中',
        grant: { documentIds: [requestDoc.id] },
      });
      const allowed = await authorize(visitor.accessToken, requestDoc, 'request');
      expect(allowed?.visitor).toEqual({
        id: visitor.id,
        name: 'Zoë Łukasz 田中',
        email: visitor.email,
        company: visitor.company,
        locale: 'en',
      });
      expect(allowed?.grantId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('refuses a document the grant does not cover', async () => {
      const visitor = await makeVisitor(t.ctx, { grant: { documentIds: [requestDoc.id] } });
      expect(await authorize(visitor.accessToken, ndaDoc, 'nda')).toBeUndefined();
      const requestLevel = await makeVisitor(t.ctx, { grant: { level: 'request' }, ndaExempt: true });
      expect(await authorize(requestLevel.accessToken, ndaDoc, 'nda')).toBeUndefined();
      expect(await authorize(requestLevel.accessToken, requestDoc, 'request')).toBeDefined();
    });

    it('requires an NDA for nda documents unless the domain is exempt', async () => {
      const visitor = await makeVisitor(t.ctx, { grant: { level: 'nda' } });
      expect(await authorize(visitor.accessToken, ndaDoc, 'nda')).toBeUndefined();
      expect(await authorize(visitor.accessToken, requestDoc, 'request')).toBeDefined();
      const exempt = await makeVisitor(t.ctx, { grant: { level: 'nda' }, ndaExempt: true });
      expect(await authorize(exempt.accessToken, ndaDoc, 'nda')).toBeDefined();
    });

    it('refuses expired and revoked grants, and unknown tokens', async () => {
      const expired = await makeVisitor(t.ctx, {
        grant: { level: 'request', expiresAt: new Date(Date.now() - 1000) },
      });
      expect(await authorize(expired.accessToken, requestDoc, 'request')).toBeUndefined();
      const revoked = await makeVisitor(t.ctx, { grant: { level: 'request', revoked: true } });
      expect(await authorize(revoked.accessToken, requestDoc, 'request')).toBeUndefined();
      expect(await authorize('A'.repeat(43), requestDoc, 'request')).toBeUndefined();
      expect(await authorize('', requestDoc, 'request')).toBeUndefined();
    });
  });

  describe('revocation', () => {
    it('closes the personal page and downloads at once, and is audited', async () => {
      const { email, grantId } = await approvedVisitor(requestDoc.slug);
      const path = await signInByMail(t.app, t.ctx, email);
      const accessToken = path.split('/').pop() as string;
      expect((await visit(t.app, path)).statusCode).toBe(200);
      expect(
        await authorizeDownload(t.ctx, { accessToken, documentId: requestDoc.id, accessLevel: 'request' }),
      ).toBeDefined();
      const res = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/grants/${grantId}/revoke`,
        headers: admin.headers,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: grantId, status: 'revoked' });
      expect((await visit(t.app, path)).statusCode).toBe(404);
      expect(
        await authorizeDownload(t.ctx, { accessToken, documentId: requestDoc.id, accessLevel: 'request' }),
      ).toBeUndefined();
      expect((await auditEntries(t.ctx, 'trust.grant.revoked')).at(-1)?.targetId).toBe(grantId);
    });

    it('answers 404 for an unknown grant id and 422 for a malformed one', async () => {
      const unknown = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/grants/00000000-0000-4000-8000-000000000000/revoke`,
        headers: admin.headers,
      });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.headers['content-type']).toContain('application/problem+json');
      const malformed = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/grants/1%20or%201=1/revoke`,
        headers: admin.headers,
      });
      expect(malformed.statusCode).toBe(422);
    });

    it('lists grants by status', async () => {
      const { grantId } = await approvedVisitor(requestDoc.slug);
      await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/grants/${grantId}/revoke`,
        headers: admin.headers,
      });
      const revoked = await t.app.inject({
        url: `${TRUST_API}/grants?status=revoked&limit=100`,
        headers: admin.headers,
      });
      expect(revoked.json().items.map((grant: { id: string }) => grant.id)).toContain(grantId);
      const active = await t.app.inject({
        url: `${TRUST_API}/grants?status=active&limit=100`,
        headers: admin.headers,
      });
      expect(active.json().items.map((grant: { id: string }) => grant.id)).not.toContain(grantId);
    });

    it('refuses an employee (403) and an anonymous caller (401)', async () => {
      const employee = await loginAs(t.app, t.ctx, 'employee');
      const url = `${TRUST_API}/grants/00000000-0000-4000-8000-000000000000/revoke`;
      expect((await t.app.inject({ method: 'POST', url, headers: employee.headers })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'POST', url })).statusCode).toBe(401);
      expect((await t.app.inject({ url: `${TRUST_API}/grants` })).statusCode).toBe(401);
    });
  });

  describe('asking for a new sign-in link', () => {
    it('answers the same for known and unknown addresses, mailing only a visitor with an active grant', async () => {
      const { email } = await approvedVisitor(requestDoc.slug);
      const before = (await queuedMails(t.ctx, email)).length;
      const known = await postForm(t.app, '/fr/access', { email });
      const unknown = await postForm(t.app, '/fr/access', { email: visitorEmail() });
      expect(known.statusCode).toBe(200);
      expect(unknown.statusCode).toBe(200);
      const strip = (html: string) => html.replace(/nonce-[0-9a-f]+/g, '');
      expect(strip(known.body)).toBe(strip(unknown.body));
      const mails = await queuedMails(t.ctx, email);
      expect(mails).toHaveLength(before + 1);
      expect(mails.at(-1)?.subject).toContain('Votre lien de connexion');
      expect(await linkInMail(t.ctx, email, '/access/login/')).toMatch(/^\/fr\//);
    });

    it('sends nothing to a visitor whose grants were all revoked', async () => {
      const { email, grantId } = await approvedVisitor(requestDoc.slug);
      await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/grants/${grantId}/revoke`,
        headers: admin.headers,
      });
      const before = (await queuedMails(t.ctx, email)).length;
      expect((await postForm(t.app, '/en/access', { email })).statusCode).toBe(200);
      expect(await queuedMails(t.ctx, email)).toHaveLength(before);
    });

    it('re-shows the form for a malformed address (422)', async () => {
      const res = await postForm(t.app, '/es/access', { email: 'nope' });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('Escriba una dirección de correo válida');
    });
  });
});
