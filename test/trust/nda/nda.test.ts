import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeDownload } from '../../../src/trust/access/grants.service.ts';
import { trustEvents, trustNdaAcceptances, trustNdaTemplates } from '../../../src/trust/tables.ts';
import { postForm, publishGatedDocument, TRUST_API, visit } from '../../fixtures/access.ts';
import { loginAs, type SignedIn, uniqueIp } from '../../fixtures/identity.ts';
import { type MadeDocument, type MadeVisitor, makeVisitor, pdfPageTexts } from '../../fixtures/trust.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

type Attachment = { filename: string; contentType: string; contentBase64: string };

describe('NDA templates and click-through', () => {
  let t: TestApp;
  let admin: SignedIn;
  let ndaDoc: MadeDocument;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    ndaDoc = await publishGatedDocument(t.ctx, { accessLevel: 'nda' });
  });
  afterAll(() => t?.close());

  const createTemplate = async (locale: string, title: string, body: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${TRUST_API}/nda-templates`,
      headers: admin.headers,
      payload: { locale, title, body },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; version: number; sha256: string; title: string; body: string };
  };
  /** Reads the NDA page and submits it as a visitor would. */
  const accept = async (visitor: MadeVisitor, locale: string, fields: Record<string, string> = {}) => {
    const page = await visit(t.app, `/${locale}/access/${visitor.accessToken}/nda`);
    const templateId = /name="templateId" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const shown = /name="sha256" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return postForm(
      t.app,
      `/${locale}/access/${visitor.accessToken}/nda`,
      { templateId, sha256: shown, fullName: visitor.name, agree: 'yes', ...fields },
      { headers: { 'user-agent': 'NDA-test-browser/1.0' } },
    );
  };
  const acceptancesOf = (visitorId: string) =>
    t.ctx.database.db.select().from(trustNdaAcceptances).where(eq(trustNdaAcceptances.visitorId, visitorId));

  describe('templates', () => {
    it('numbers versions per locale and hashes the text shown: title, blank line, body', async () => {
      const first = await createTemplate('fr', 'Accord v1', 'Premier texte.');
      const second = await createTemplate('fr', 'Accord v2', 'Deuxième texte.\r\n\r\nAvec un paragraphe.');
      expect(second.version).toBe(first.version + 1);
      expect(second.body).toBe('Deuxième texte.\n\nAvec un paragraphe.');
      expect(second.sha256).toBe(sha256('Accord v2\n\nDeuxième texte.\n\nAvec un paragraphe.'));
      const list = await t.app.inject({
        url: `${TRUST_API}/nda-templates?locale=fr`,
        headers: admin.headers,
      });
      expect(
        list
          .json()
          .items.map((item: { version: number }) => item.version)
          .slice(0, 2),
      ).toEqual([second.version, first.version]);
      expect((await auditEntries(t.ctx, 'trust.nda-template.created')).at(-1)?.targetId).toBe(second.id);
    });

    it('lets a version nobody accepted be corrected, and freezes it once accepted (409)', async () => {
      const template = await createTemplate('en', 'Mutual NDA', 'Draft text.');
      const fix = await t.app.inject({
        method: 'PATCH',
        url: `${TRUST_API}/nda-templates/${template.id}`,
        headers: admin.headers,
        payload: { body: 'Corrected text.' },
      });
      expect(fix.statusCode).toBe(200);
      expect(fix.json().sha256).toBe(sha256('Mutual NDA\n\nCorrected text.'));

      const visitor = await makeVisitor(t.ctx, { grant: { level: 'nda' } });
      expect((await accept(visitor, 'en')).statusCode).toBe(303);

      const change = await t.app.inject({
        method: 'PATCH',
        url: `${TRUST_API}/nda-templates/${template.id}`,
        headers: admin.headers,
        payload: { title: 'Sneaky edit' },
      });
      expect(change.statusCode).toBe(409);
      expect(change.json().code).toBe('nda-template-accepted');
      const [stored] = await t.ctx.database.db
        .select()
        .from(trustNdaTemplates)
        .where(eq(trustNdaTemplates.id, template.id));
      expect(stored).toMatchObject({ title: 'Mutual NDA', body: 'Corrected text.' });
      expect(stored?.sha256).toBe(sha256('Mutual NDA\n\nCorrected text.'));
    });

    it('refuses an employee (403) and an anonymous caller (401)', async () => {
      const employee = await loginAs(t.app, t.ctx, 'employee');
      const payload = { locale: 'en', title: 'x', body: 'y' };
      const url = `${TRUST_API}/nda-templates`;
      expect(
        (await t.app.inject({ method: 'POST', url, headers: employee.headers, payload })).statusCode,
      ).toBe(403);
      expect((await t.app.inject({ method: 'POST', url, payload })).statusCode).toBe(401);
    });
  });

  describe('accepting', () => {
    it('records the acceptance with the SHA-256 of the exact text shown, before answering', async () => {
      const template = await createTemplate(
        'es',
        'Acuerdo de confidencialidad',
        'Las partes se comprometen…',
      );
      const visitor = await makeVisitor(t.ctx, {
        name: 'Zoë Łukasz 田中',
        locale: 'es',
        grant: { level: 'nda' },
      });
      const page = await visit(t.app, `/es/access/${visitor.accessToken}/nda`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Acuerdo de confidencialidad');
      expect(page.body).toContain(template.sha256);
      expect(
        await authorizeDownload(t.ctx, {
          accessToken: visitor.accessToken,
          documentId: ndaDoc.id,
          accessLevel: 'nda',
        }),
      ).toBeUndefined();

      const res = await accept(visitor, 'es');
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/es/access/${visitor.accessToken}`);
      const [acceptance] = await acceptancesOf(visitor.id);
      expect(acceptance).toMatchObject({
        templateId: template.id,
        textSha256: sha256('Acuerdo de confidencialidad\n\nLas partes se comprometen…'),
        fullName: 'Zoë Łukasz 田中',
        email: visitor.email,
        company: visitor.company,
        userAgent: 'NDA-test-browser/1.0',
      });
      expect(acceptance?.ip).toMatch(/^10\./);
      expect(Date.now() - (acceptance?.acceptedAt.getTime() ?? 0)).toBeLessThan(60_000);
      const [event] = await t.ctx.database.db
        .select()
        .from(trustEvents)
        .where(eq(trustEvents.visitorId, visitor.id));
      expect(event?.type).toBe('nda-accepted');
      const accepted = (await auditEntries(t.ctx, 'trust.nda.accepted')).at(-1);
      expect(accepted?.details).toMatchObject({ templateId: template.id, textSha256: template.sha256 });
      // The visitor who accepted, by id: never "anonymous" in the log.
      expect(accepted).toMatchObject({ actorType: 'visitor', actorId: visitor.id });
      expect(
        await authorizeDownload(t.ctx, {
          accessToken: visitor.accessToken,
          documentId: ndaDoc.id,
          accessLevel: 'nda',
        }),
      ).toBeDefined();
    });

    it('sends both sides a PDF copy naming the signer, the text and its hash', async () => {
      const template = await createTemplate('es', 'Acuerdo PDF', 'Texto del acuerdo para el PDF.');
      const visitor = await makeVisitor(t.ctx, { name: 'Zoë Łukasz 田中', grant: { level: 'nda' } });
      expect((await accept(visitor, 'es')).statusCode).toBe(303);
      const toVisitor = (await queuedMails(t.ctx, visitor.email)).at(-1) as unknown as {
        subject: string;
        attachments: Attachment[];
      };
      const toAdmin = (await queuedMails(t.ctx, admin.made.user.email)).at(-1) as unknown as {
        attachments: Attachment[];
      };
      expect(toVisitor.subject).toContain('Acuerdo de confidencialidad firmado: Zoë Łukasz 田中');
      for (const mail of [toVisitor, toAdmin]) {
        const [pdf] = mail.attachments;
        expect(pdf?.contentType).toBe('application/pdf');
        expect(pdf?.filename).toMatch(/^nda-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.pdf$/);
        const text = (await pdfPageTexts(Buffer.from(pdf?.contentBase64 ?? '', 'base64'))).join('\n');
        expect(text).toContain('Acuerdo PDF');
        expect(text).toContain('Texto del acuerdo para el PDF.');
        expect(text).toContain('Zoë Łukasz 田中');
        expect(text).toContain(visitor.email);
        expect(text).toContain(template.sha256);
      }
    });

    it('shows the default locale’s NDA when the visitor’s locale has none (or only retired ones)', async () => {
      await createTemplate('en', 'English-only NDA', 'Only in English.');
      const french = await t.app.inject({
        url: `${TRUST_API}/nda-templates?locale=fr`,
        headers: admin.headers,
      });
      for (const template of french.json().items as { id: string }[]) {
        const retired = await t.app.inject({
          method: 'PATCH',
          url: `${TRUST_API}/nda-templates/${template.id}`,
          headers: admin.headers,
          payload: { active: false },
        });
        expect(retired.statusCode).toBe(200);
      }
      const visitor = await makeVisitor(t.ctx, { grant: { level: 'nda' } });
      const page = await visit(t.app, `/fr/access/${visitor.accessToken}/nda`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<html lang="fr"');
      expect(page.body).toContain('<article class="card" lang="en"');
      expect(page.body).toContain('English-only NDA');
      // The visitor is told, in their language, that the text they accept is in English.
      expect(page.body).toContain(
        '<p class="notice" role="note" data-nda-language="en">Cet accord n’existe pas en français\u00a0: la version ci-dessous, en anglais, est celle que vous acceptez.</p>',
      );
      const english = await visit(t.app, `/en/access/${visitor.accessToken}/nda`);
      expect(english.body).not.toContain('data-nda-language');
    });

    it('re-shows the form (422) without the checkbox, recording nothing', async () => {
      await createTemplate('en', 'Checkbox NDA', 'Text.');
      const visitor = await makeVisitor(t.ctx, { grant: { level: 'nda' } });
      const res = await accept(visitor, 'en', { agree: '' });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('Tick the box to confirm that you accept the agreement.');
      const noName = await accept(visitor, 'en', { fullName: '   ' });
      expect(noName.statusCode).toBe(422);
      expect(noName.body).toContain('Type your full name to sign.');
      expect(await acceptancesOf(visitor.id)).toEqual([]);
    });

    it('refuses a text that changed since the page was shown (409), showing the new one', async () => {
      await createTemplate('en', 'Old wording', 'Old text.');
      const visitor = await makeVisitor(t.ctx, { grant: { level: 'nda' } });
      const page = await visit(t.app, `/en/access/${visitor.accessToken}/nda`);
      const templateId = /name="templateId" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const shown = /name="sha256" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      await createTemplate('en', 'New wording', 'New text.');
      const url = `/en/access/${visitor.accessToken}/nda`;
      const stale = await postForm(t.app, url, { templateId, sha256: shown, fullName: 'Vera', agree: 'yes' });
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('The agreement was updated while you were reading it.');
      expect(stale.body).toContain('New wording');
      const tampered = await postForm(t.app, url, {
        templateId,
        sha256: 'f'.repeat(64),
        fullName: 'Vera',
        agree: 'yes',
      });
      expect(tampered.statusCode).toBe(409);
      expect(await acceptancesOf(visitor.id)).toEqual([]);
    });

    it('asks for a new acceptance once a new version is published', async () => {
      await createTemplate('en', 'Version A', 'A.');
      const visitor = await makeVisitor(t.ctx, { grant: { level: 'nda' } });
      await accept(visitor, 'en');
      const input = { accessToken: visitor.accessToken, documentId: ndaDoc.id, accessLevel: 'nda' as const };
      expect(await authorizeDownload(t.ctx, input)).toBeDefined();
      await createTemplate('en', 'Version B', 'B.');
      expect(await authorizeDownload(t.ctx, input)).toBeUndefined();
    });

    it('answers 404 for a tampered access token, on the page and the form', async () => {
      const bogus = 'B'.repeat(43);
      expect((await visit(t.app, `/en/access/${bogus}/nda`)).statusCode).toBe(404);
      const res = await t.app.inject({
        method: 'POST',
        url: `/en/access/${bogus}/nda`,
        remoteAddress: uniqueIp(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'fullName=x&agree=yes',
      });
      expect(res.statusCode).toBe(404);
    });
  });

  describe('exemptions', () => {
    it('lets a paper-signed company skip the click-through; created and deleted with an audit trail', async () => {
      const visitor = await makeVisitor(t.ctx, { grant: { level: 'nda' } });
      const domain = visitor.email.split('@')[1] as string;
      const input = { accessToken: visitor.accessToken, documentId: ndaDoc.id, accessLevel: 'nda' as const };
      expect(await authorizeDownload(t.ctx, input)).toBeUndefined();
      const created = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/nda-exemptions`,
        headers: admin.headers,
        payload: { domain, company: 'Example Buyer Ltd', note: 'Signed on paper 2025-01-10' },
      });
      expect(created.statusCode).toBe(201);
      expect(await authorizeDownload(t.ctx, input)).toBeDefined();
      const page = await visit(t.app, `/en/access/${visitor.accessToken}/nda`);
      expect(page.body).toContain('The agreement is in place');
      const duplicate = await t.app.inject({
        method: 'POST',
        url: `${TRUST_API}/nda-exemptions`,
        headers: admin.headers,
        payload: { domain, company: 'Again' },
      });
      expect(duplicate.statusCode).toBe(409);
      const id = created.json().id as string;
      const url = `${TRUST_API}/nda-exemptions/${id}`;
      expect((await t.app.inject({ method: 'DELETE', url, headers: admin.headers })).statusCode).toBe(204);
      expect((await t.app.inject({ method: 'DELETE', url, headers: admin.headers })).statusCode).toBe(404);
      expect(await authorizeDownload(t.ctx, input)).toBeUndefined();
      expect((await auditEntries(t.ctx, 'trust.nda-exemption.created')).at(-1)?.targetId).toBe(id);
      expect((await auditEntries(t.ctx, 'trust.nda-exemption.deleted')).at(-1)?.targetId).toBe(id);
    });
  });
});
