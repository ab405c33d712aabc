import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  trustAccessRequests,
  trustGrants,
  trustVisitors,
  trustVisitorTokens,
} from '../../../src/trust/tables.ts';
import {
  linkInMail,
  postForm,
  publishGatedDocument,
  requestAndConfirm,
  requestFields,
  TRUST_API,
  visit,
  visitorEmail,
} from '../../fixtures/access.ts';
import { loginAs, makeUser, type SignedIn, uniqueIp } from '../../fixtures/identity.ts';
import type { MadeDocument } from '../../fixtures/trust.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';

describe('access requests', () => {
  let t: TestApp;
  let admin: SignedIn;
  let doc: MadeDocument;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    doc = await publishGatedDocument(t.ctx, {
      accessLevel: 'nda',
      title: { en: 'SOC 2 Type II report', es: 'Informe SOC 2 Tipo II' },
    });
  });
  afterAll(() => t?.close());

  const db = () => t.ctx.database.db;
  const requestsOf = async (email: string) => {
    const [visitor] = await db().select().from(trustVisitors).where(eq(trustVisitors.email, email));
    if (!visitor) return [];
    return db().select().from(trustAccessRequests).where(eq(trustAccessRequests.visitorId, visitor.id));
  };
  const setDomainLists = (allowDomains: string[], denyDomains: string[]) =>
    t.app.inject({
      method: 'PUT',
      url: `${TRUST_API}/domain-lists`,
      headers: admin.headers,
      payload: { allowDomains, denyDomains },
    });

  describe('the public form', () => {
    it('records an unconfirmed request and e-mails a confirmation link in the visitor’s language', async () => {
      const email = visitorEmail();
      const res = await postForm(t.app, `/es/documents/${doc.slug}/request`, requestFields(email));
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('<html lang="es"');
      expect(res.body).toContain('Revise su correo');
      const [request] = await requestsOf(email);
      expect(request).toMatchObject({
        status: 'unconfirmed',
        documentIds: [doc.id],
        reason: 'Vendor security review',
      });
      const [mail] = await queuedMails(t.ctx, email);
      expect(mail?.subject).toBe('Confirme su solicitud de Informe SOC 2 Tipo II a Attest');
      expect(mail?.text).toMatch(/\/es\/access\/confirm\/[A-Za-z0-9_-]{43}/);
    });

    it('stores only the hash of the confirmation token, valid for 24 hours', async () => {
      const email = visitorEmail();
      await postForm(t.app, `/en/documents/${doc.slug}/request`, requestFields(email));
      const link = await linkInMail(t.ctx, email, '/access/confirm/');
      const token = link.split('/').pop() as string;
      const [request] = await requestsOf(email);
      const [row] = await db()
        .select()
        .from(trustVisitorTokens)
        .where(eq(trustVisitorTokens.requestId, request?.id as string));
      expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(row?.tokenHash).not.toContain(token);
      const hours = ((row?.expiresAt.getTime() ?? 0) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(23.9);
      expect(hours).toBeLessThanOrEqual(24);
    });

    it('re-shows the form with a clear error in the visitor’s language for a malformed e-mail (422)', async () => {
      const res = await postForm(t.app, `/fr/documents/${doc.slug}/request`, {
        ...requestFields('not-an-address'),
        name: 'Zoë <b>Łukasz</b>',
      });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('<html lang="fr"');
      expect(res.body).toContain('Indiquez une adresse e-mail valide');
      expect(res.body).toContain('aria-invalid="true" aria-describedby="field-email-error"');
      // What the visitor typed comes back, escaped.
      expect(res.body).toContain('value="Zoë &lt;b&gt;Łukasz&lt;/b&gt;"');
      expect(res.body).toContain('value="not-an-address"');
      expect(await requestsOf('not-an-address')).toEqual([]);
    });

    it('reports every missing field at once', async () => {
      const res = await postForm(t.app, `/en/documents/${doc.slug}/request`, { email: visitorEmail() });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('Enter your full name.');
      expect(res.body).toContain('Enter the name of your company.');
      expect(res.body).toContain('Tell us briefly why you need this document.');
    });

    it('answers an HTML 404 for a document that is unknown, public or unpublished', async () => {
      const { makeDocument } = await import('../../fixtures/trust.ts');
      const unpublished = await makeDocument(t.ctx, { accessLevel: 'request' });
      for (const slug of ['no-such-doc', unpublished.slug, '..%2Fetc']) {
        const res = await postForm(t.app, `/en/documents/${slug}/request`, requestFields(visitorEmail()));
        expect(res.statusCode, slug).toBe(404);
        expect(res.headers['content-type']).toContain('text/html');
      }
    });

    it('refuses a sixth request from one address within an hour (429), sending no more mail', async () => {
      const email = visitorEmail();
      for (let i = 0; i < 5; i++) {
        const ok = await postForm(t.app, `/en/documents/${doc.slug}/request`, requestFields(email), {
          remoteAddress: uniqueIp(),
        });
        expect(ok.statusCode).toBe(200);
      }
      const refused = await postForm(t.app, `/en/documents/${doc.slug}/request`, requestFields(email), {
        remoteAddress: uniqueIp(),
      });
      expect(refused.statusCode).toBe(429);
      expect(refused.body).toContain('Too many requests for this address');
      expect(await queuedMails(t.ctx, email)).toHaveLength(5);
    });

    it('limits form posts per client address', async () => {
      const ip = uniqueIp();
      const responses = [];
      for (let i = 0; i < 11; i++) {
        const url = `/es/documents/${doc.slug}/request`;
        responses.push(await postForm(t.app, url, requestFields(visitorEmail()), { remoteAddress: ip }));
      }
      expect(responses.slice(0, 10).every((res) => res.statusCode === 200)).toBe(true);
      const refused = responses[10];
      expect(refused?.statusCode).toBe(429);
      expect(refused?.headers['content-type']).toContain('text/html');
      expect(refused?.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused?.body).toContain('Demasiadas solicitudes');
    });

    it('accepts the same request as JSON on the public API', async () => {
      const email = visitorEmail();
      const res = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/access-requests`,
        payload: { ...requestFields(email), documentSlug: doc.slug, locale: 'fr' },
      });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ status: 'confirmation-sent' });
      expect((await queuedMails(t.ctx, email))[0]?.subject).toContain('Confirmez votre demande');
    });

    it('answers 404 on the public API for a document that is not published', async () => {
      const { makeDocument } = await import('../../fixtures/trust.ts');
      const draft = await makeDocument(t.ctx, { accessLevel: 'nda' });
      const res = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/access-requests`,
        payload: { ...requestFields(visitorEmail()), documentSlug: draft.slug },
      });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('answers a malformed JSON request with a 422 problem', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/access-requests`,
        payload: { ...requestFields('nope'), documentSlug: doc.slug },
      });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors).toContainEqual(expect.objectContaining({ pointer: '/email' }));
    });
  });

  describe('confirming the e-mail address', () => {
    it('makes the request pending and tells every owner, admin and compliance user', async () => {
      const compliance = await makeUser(t.ctx, { role: 'compliance', locale: 'fr' });
      const employee = await makeUser(t.ctx, { role: 'employee' });
      const email = visitorEmail();
      const res = await requestAndConfirm(t.app, t.ctx, { slug: doc.slug, email, locale: 'es' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Gracias, hemos recibido su solicitud');
      const [request] = await requestsOf(email);
      expect(request?.status).toBe('pending');
      const [visitor] = await db().select().from(trustVisitors).where(eq(trustVisitors.email, email));
      expect(visitor?.emailVerifiedAt).toBeInstanceOf(Date);
      const toAdmin = await queuedMails(t.ctx, admin.made.user.email);
      expect(toAdmin.at(-1)?.text).toContain(email);
      expect(toAdmin.at(-1)?.text).toContain('Vendor security review');
      const toCompliance = await queuedMails(t.ctx, compliance.user.email);
      expect(toCompliance.at(-1)?.subject).toContain('demande l’accès à SOC 2 Type II report');
      expect(await queuedMails(t.ctx, employee.user.email)).toEqual([]);
      expect((await auditEntries(t.ctx, 'trust.access-request.confirmed')).at(-1)?.targetId).toBe(
        request?.id,
      );
    });

    it('answers a replayed link with a 404 page and changes nothing', async () => {
      const email = visitorEmail();
      await postForm(t.app, `/en/documents/${doc.slug}/request`, requestFields(email));
      const link = await linkInMail(t.ctx, email, '/access/confirm/');
      expect((await visit(t.app, link)).statusCode).toBe(200);
      const before = await requestsOf(email);
      const mailsBefore = (await queuedMails(t.ctx)).length;
      const replay = await visit(t.app, link);
      expect(replay.statusCode).toBe(404);
      expect(replay.headers['content-type']).toContain('text/html');
      expect(replay.body).toContain('This link is no longer valid');
      expect(await requestsOf(email)).toEqual(before);
      expect((await queuedMails(t.ctx)).length).toBe(mailsBefore);
    });

    it('answers an expired link with a 404 page and leaves the request unconfirmed', async () => {
      const email = visitorEmail();
      await postForm(t.app, `/en/documents/${doc.slug}/request`, requestFields(email));
      const link = await linkInMail(t.ctx, email, '/access/confirm/');
      const [request] = await requestsOf(email);
      await db()
        .update(trustVisitorTokens)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(trustVisitorTokens.requestId, request?.id as string));
      const res = await visit(t.app, link);
      expect(res.statusCode).toBe(404);
      const [after] = await requestsOf(email);
      expect(after?.status).toBe('unconfirmed');
      const [visitor] = await db().select().from(trustVisitors).where(eq(trustVisitors.email, email));
      expect(visitor?.emailVerifiedAt).toBeNull();
    });

    it('answers a made-up or tampered token with a 404 page', async () => {
      for (const token of ['x', 'A'.repeat(43), '../../etc/passwd']) {
        const res = await visit(t.app, `/en/access/confirm/${token}`);
        expect(res.statusCode, token).toBe(404);
      }
      // NUL is refused at the edge for every route (core/http/nul-guard.ts), as a page all the same.
      const nul = await visit(t.app, `/en/access/confirm/${'a'.repeat(42)}%00`);
      expect(nul.statusCode).toBe(422);
      expect(nul.headers['content-type']).toContain('text/html');
    });

    it('approves at once for an allow-listed domain: a grant and a sign-in link by e-mail', async () => {
      const domain = `allowed-${Date.now()}.example.test`;
      expect((await setDomainLists([domain], [])).statusCode).toBe(200);
      const email = visitorEmail(domain);
      const res = await requestAndConfirm(t.app, t.ctx, { slug: doc.slug, email });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Your request is approved');
      const [request] = await requestsOf(email);
      expect(request?.status).toBe('approved');
      const [grant] = await db()
        .select()
        .from(trustGrants)
        .where(eq(trustGrants.requestId, request?.id as string));
      expect(grant?.documentIds).toEqual([doc.id]);
      const days = ((grant?.expiresAt.getTime() ?? 0) - Date.now()) / 86_400_000;
      expect(Math.round(days)).toBe(30);
      expect(await linkInMail(t.ctx, email, '/access/login/')).toMatch(/^\/en\/access\/login\//);
      const approved = (await auditEntries(t.ctx, 'trust.access-request.approved')).at(-1);
      expect(approved?.details).toMatchObject({ automatic: true, rule: 'allow-list' });
    });

    it('also approves subdomains of an allow-listed domain', async () => {
      const domain = `parent-${Date.now()}.example.test`;
      await setDomainLists([domain], []);
      const email = visitorEmail(`eu.${domain}`);
      const res = await requestAndConfirm(t.app, t.ctx, { slug: doc.slug, email });
      expect(res.body).toContain('Your request is approved');
    });

    it('denies at once, politely, for a deny-listed domain, even under an allowed parent', async () => {
      const parent = `mixed-${Date.now()}.example.test`;
      await setDomainLists([parent], [`blocked.${parent}`]);
      const email = visitorEmail(`blocked.${parent}`);
      const res = await requestAndConfirm(t.app, t.ctx, { slug: doc.slug, email, locale: 'fr' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Nous ne pouvons pas partager ces documents');
      const [request] = await requestsOf(email);
      expect(request).toMatchObject({ status: 'denied', decisionNote: 'deny-list' });
      const grants = await db()
        .select()
        .from(trustGrants)
        .where(eq(trustGrants.requestId, request?.id as string));
      expect(grants).toEqual([]);
      const denied = (await auditEntries(t.ctx, 'trust.access-request.denied')).at(-1);
      expect(denied?.details).toMatchObject({ automatic: true, rule: 'deny-list' });
    });
  });

  describe('the admin API', () => {
    const pendingRequest = async () => {
      const email = visitorEmail();
      await requestAndConfirm(t.app, t.ctx, { slug: doc.slug, email });
      const [request] = await requestsOf(email);
      return { email, id: request?.id as string };
    };

    it('lists requests filtered by status and search, paginated', async () => {
      const { email, id } = await pendingRequest();
      const res = await t.app.inject({
        url: `${TRUST_API}/access-requests?status=pending&search=${encodeURIComponent(email)}`,
        headers: admin.headers,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual([
        expect.objectContaining({
          id,
          status: 'pending',
          visitor: expect.objectContaining({ email, company: 'Globex', emailVerified: true }),
        }),
      ]);
      const page1 = await t.app.inject({
        url: `${TRUST_API}/access-requests?limit=2`,
        headers: admin.headers,
      });
      expect(page1.json().items).toHaveLength(2);
      const cursor = page1.json().nextCursor as string;
      const page2 = await t.app.inject({
        url: `${TRUST_API}/access-requests?limit=2&cursor=${cursor}`,
        headers: admin.headers,
      });
      expect(page2.json().items[0].id).not.toBe(page1.json().items[0].id);
    });

    it('approves with the default 30 days, grants the requested documents and e-mails a sign-in link', async () => {
      const { email, id } = await pendingRequest();
      const res = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/access-requests/${id}/approve`,
        headers: admin.headers,
        payload: {},
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.request.status).toBe('approved');
      expect(body.grant).toMatchObject({ documentIds: [doc.id], level: null, status: 'active' });
      expect(Math.round((Date.parse(body.grant.expiresAt) - Date.now()) / 86_400_000)).toBe(30);
      expect(await linkInMail(t.ctx, email, '/access/login/')).toBeTruthy();
      const created = (await auditEntries(t.ctx, 'trust.grant.created')).at(-1);
      expect(created).toMatchObject({ actorId: admin.made.user.id, targetId: body.grant.id });
    });

    it('approves a whole level with a chosen expiry', async () => {
      const { id } = await pendingRequest();
      const res = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/access-requests/${id}/approve`,
        headers: admin.headers,
        payload: { level: 'nda', expiresInDays: 7 },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().grant).toMatchObject({ documentIds: [], level: 'nda' });
      expect(Math.round((Date.parse(res.json().grant.expiresAt) - Date.now()) / 86_400_000)).toBe(7);
    });

    it('refuses to decide a request twice (409) and unknown documents (422)', async () => {
      const { id } = await pendingRequest();
      const unknown = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/access-requests/${id}/approve`,
        headers: admin.headers,
        payload: { documentIds: ['00000000-0000-4000-8000-000000000000'] },
      });
      expect(unknown.statusCode).toBe(422);
      const approve = () =>
        t.app.inject({
          method: 'POST',
          url: `${TRUST_API}/access-requests/${id}/approve`,
          headers: admin.headers,
          payload: {},
        });
      expect((await approve()).statusCode).toBe(200);
      const again = await approve();
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('access-request-not-pending');
      const deny = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/access-requests/${id}/deny`,
        headers: admin.headers,
        payload: {},
      });
      expect(deny.statusCode).toBe(409);
    });

    it('answers 404 for an unknown request id and 422 for a malformed one', async () => {
      const unknown = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/access-requests/00000000-0000-4000-8000-000000000000/approve`,
        headers: admin.headers,
        payload: {},
      });
      expect(unknown.statusCode).toBe(404);
      const malformed = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/access-requests/not-a-uuid/approve`,
        headers: admin.headers,
        payload: {},
      });
      expect(malformed.statusCode).toBe(422);
    });

    it('denies with a note, tells the visitor politely and audits it', async () => {
      const { email, id } = await pendingRequest();
      const res = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/access-requests/${id}/deny`,
        headers: admin.headers,
        payload: { note: 'Not a customer' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'denied', decisionNote: 'Not a customer' });
      expect((await queuedMails(t.ctx, email)).at(-1)?.subject).toBe('About your request to Attest');
      const denied = (await auditEntries(t.ctx, 'trust.access-request.denied')).at(-1);
      expect(denied).toMatchObject({ targetId: id, details: expect.objectContaining({ automatic: false }) });
    });

    it('keeps and audits the domain lists, normalising the entries', async () => {
      const res = await setDomainLists(['@Partner.EXAMPLE', '*.friends.example'], ['rival.example']);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        allowDomains: ['partner.example', 'friends.example'],
        denyDomains: ['rival.example'],
      });
      const read = await t.app.inject({ url: `${TRUST_API}/domain-lists`, headers: admin.headers });
      expect(read.json()).toEqual(res.json());
      expect((await auditEntries(t.ctx, 'trust.domain-lists.updated')).at(-1)?.details).toMatchObject({
        to: res.json(),
      });
      const bad = await setDomainLists(['not a domain'], []);
      expect(bad.statusCode).toBe(422);
    });

    it('refuses an employee (403) and an anonymous caller (401)', async () => {
      const employee = await loginAs(t.app, t.ctx, 'employee');
      const routes = [
        { method: 'GET' as const, url: `${TRUST_API}/access-requests` },
        {
          method: 'POST' as const,
          url: `${TRUST_API}/access-requests/00000000-0000-4000-8000-000000000000/approve`,
        },
        { method: 'PUT' as const, url: `${TRUST_API}/domain-lists` },
      ];
      for (const route of routes) {
        const forbidden = await t.app.inject({ ...route, headers: employee.headers, payload: {} });
        expect(forbidden.statusCode, route.url).toBe(403);
        const anonymous = await t.app.inject({ ...route, payload: {} });
        expect(anonymous.statusCode, route.url).toBe(401);
      }
    });

    it('lets an auditor read requests but not decide them', async () => {
      const auditor = await loginAs(t.app, t.ctx, 'auditor');
      expect(
        (await t.app.inject({ url: `${TRUST_API}/access-requests`, headers: auditor.headers })).statusCode,
      ).toBe(200);
      const { id } = await pendingRequest();
      const res = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/access-requests/${id}/approve`,
        headers: auditor.headers,
        payload: {},
      });
      expect(res.statusCode).toBe(403);
    });
  });
});
