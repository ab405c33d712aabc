import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/crypto/index.ts';
import { systemActor } from '../../../src/core/http/actor.ts';
import { formatDateTime } from '../../../src/core/i18n/index.ts';
import { escapeHtml } from '../../../src/core/mail/html.ts';
import { addTeamMessage } from '../../../src/disclosure/reports/messages.service.ts';
import {
  findAttachments,
  findReportByFollowHash,
  findReportById,
} from '../../../src/disclosure/reports/reports.store.ts';
import { disclosureReports } from '../../../src/disclosure/tables.ts';
import { postForm, visit } from '../../fixtures/access.ts';
import { loginAs, type SignedIn, uniqueIp } from '../../fixtures/identity.ts';
import { buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';
import {
  EXE,
  fieldParts,
  PDF,
  postMultipart,
  publishIntakeProgram,
  researcherEmail,
  tokenOf,
} from './intake-helpers.ts';

/** What a researcher types into the French form. */
function frenchFields(version: number, email = researcherEmail()): Record<string, string> {
  return {
    policyVersion: String(version),
    asset: 'app.example.com',
    category: 'cross-site-scripting',
    title: 'XSS stockée dans le nom affiché',
    description: 'Le nom affiché est inséré sans échappement dans la page publique du profil.',
    steps: '1. Mettre <img src=x onerror=alert(1)> comme nom\n2. Ouvrir le profil',
    impact: 'Vol de session de tout visiteur du profil.',
    name: 'Zoë Chercheuse',
    email,
    handle: 'zoe',
    url: '',
    creditPreference: 'handle',
    acceptPolicy: 'yes',
  };
}

describe('the report form at /{locale}/security/report', () => {
  let t: TestApp;
  let admin: SignedIn;
  let version: number;
  const reportCount = async () =>
    (await t.ctx.database.db.select({ n: count() }).from(disclosureReports))[0]?.n ?? 0;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    version = await publishIntakeProgram(t.app, admin.headers);
  });
  afterAll(() => t?.close());

  it.each([
    ['fr', 'Signaler une vulnérabilité de sécurité', 'Titre', 'La vulnérabilité'],
    ['es', 'Informar de una vulnerabilidad de seguridad', 'Título', 'La vulnerabilidad'],
    ['en', 'Report a security vulnerability', 'Title', 'The vulnerability'],
  ])('is served in %s, labelled and grouped, without JavaScript', async (locale, heading, title, legend) => {
    const res = await visit(t.app, `/${locale}/security/report`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-language']).toBe(locale);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const html = res.body;
    expect(html).toMatch(new RegExp(`<html lang="${locale}"`));
    expect(html).toContain(`<h1>${escapeHtml(heading)}</h1>`);
    expect(html).toContain(`<label for="field-title">${escapeHtml(title)}</label>`);
    expect(html).toContain(`<legend>${escapeHtml(legend)}</legend>`);
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain(`<input type="hidden" name="policyVersion" value="${version}">`);
    expect(html).toMatch(/<input id="field-attachments"[^>]*type="file" multiple/);
    expect(html).toMatch(/aria-describedby="field-description-hint"/);
    // Every input, textarea and select has a label pointing at it.
    for (const [, id] of html.matchAll(/<(?:input|textarea|select) id="([^"]+)"/g)) {
      expect(html, id).toContain(`for="${id}"`);
    }
    // The out-of-scope categories are set apart before anything is sent.
    expect(html).toMatch(/<optgroup label="[^"]+"><option value="clickjacking-non-sensitive">/);
    expect(html).not.toMatch(/<script/);
  });

  it('shows the form again with every typed value and linked errors when something is wrong', async () => {
    const before = await reportCount();
    const fields: Record<string, string> = {
      ...frenchFields(version),
      title: '',
      email: 'pas-une-adresse',
      acceptPolicy: '',
    };
    const res = await postMultipart(t.app, '/fr/security/report', fieldParts(fields));
    expect(res.statusCode).toBe(422);
    const html = res.body;
    expect(html).toContain('role="alert"');
    expect(html).toContain('<a href="#field-title">Saisissez un titre');
    expect(html).toContain('<a href="#field-email">Saisissez une adresse e-mail valide');
    expect(html).toContain('<a href="#field-acceptPolicy">');
    expect(html).toMatch(
      /id="field-title"[^>]*aria-invalid="true"[^>]*aria-describedby="field-title-hint field-title-error"/,
    );
    // Nothing the researcher typed is lost.
    expect(html).toContain(escapeHtml(fields.description as string));
    expect(html).toContain(escapeHtml(fields.steps as string));
    expect(html).toContain('value="pas-une-adresse"');
    expect(html).toContain('<option value="cross-site-scripting" selected>');
    expect(html).toMatch(/value="handle" checked/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await reportCount()).toBe(before);
  });

  it.each([
    ['en', 'Enter a title: it is required.', 'Describe the vulnerability: a description is required.'],
    [
      'es',
      'Escriba un título: es obligatorio.',
      'Describa la vulnerabilidad: la descripción es obligatoria.',
    ],
    [
      'fr',
      'Saisissez un titre\u00a0: il est obligatoire.',
      'Décrivez la vulnérabilité\u00a0: la description est obligatoire.',
    ],
  ])(
    'says an empty title and description are required in %s, not that they are too long',
    async (locale, title, description) => {
      const fields = { ...frenchFields(version), title: '  ', description: '' };
      const res = await postMultipart(t.app, `/${locale}/security/report`, fieldParts(fields));
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(`<a href="#field-title">${escapeHtml(title)}</a>`);
      expect(res.body).toContain(`<a href="#field-description">${escapeHtml(description)}</a>`);
      expect(res.body).not.toMatch(/200 caract|at most 200/);
    },
  );

  it('still names the limit when a title is too long', async () => {
    const fields = { ...frenchFields(version), title: 'x'.repeat(201) };
    const res = await postMultipart(t.app, '/en/security/report', fieldParts(fields));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#field-title">Enter a title of at most 200 characters.</a>');
  });

  it('stops before sending an out-of-scope category, explains why, and sends once confirmed', async () => {
    const before = await reportCount();
    const fields: Record<string, string> = { ...frenchFields(version), category: 'missing-dnssec' };
    const first = await postMultipart(t.app, '/fr/security/report', fieldParts(fields));
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Ce rapport est peut-être hors périmètre');
    expect(first.body).toContain('«\u00a0Absence de DNSSEC\u00a0»');
    expect(first.body).toMatch(
      /<input id="field-confirmOutOfScope" type="checkbox" name="confirmOutOfScope" value="yes">/,
    );
    expect(first.body).toContain(escapeHtml(fields.description as string));
    expect(await reportCount()).toBe(before);

    const confirmed = await postMultipart(
      t.app,
      '/fr/security/report',
      fieldParts({ ...fields, confirmOutOfScope: 'yes' }),
    );
    expect(confirmed.statusCode, confirmed.body).toBe(303);
    const report = await findReportByFollowHash(
      t.ctx.database.db,
      sha256Hex(tokenOf(confirmed.headers.location as string)),
    );
    expect(report).toMatchObject({ outOfScope: true, category: 'missing-dnssec', channel: 'web' });

    const asset = await postMultipart(
      t.app,
      '/fr/security/report',
      fieldParts({ ...frenchFields(version), asset: 'legacy.example.com' }),
    );
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toContain('Notre politique classe legacy.example.com hors périmètre.');
  });

  it('sends a French report end to end: received page, French receipt with the due date, answer on the follow page', async () => {
    const email = researcherEmail();
    const res = await postMultipart(t.app, '/fr/security/report', [
      ...fieldParts(frenchFields(version, email)),
      { name: 'attachments', fileName: 'preuve.pdf', content: PDF },
      { name: 'attachments', fileName: '', content: Buffer.alloc(0) },
    ]);
    expect(res.statusCode, res.body).toBe(303);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/fr\/security\/report\/received\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(location);
    const report = await findReportByFollowHash(t.ctx.database.db, sha256Hex(token));
    expect(report).toMatchObject({
      locale: 'fr',
      channel: 'web',
      creditPreference: 'handle',
      policyVersion: version,
    });
    expect(await findAttachments(t.ctx.database.db, report?.id as string)).toHaveLength(1);

    // PRG: the page shows the number, the due date in Paris time, and the link to keep.
    const received = await visit(t.app, location);
    expect(received.statusCode).toBe(200);
    expect(received.headers['cache-control']).toBe('no-store');
    expect(received.headers['referrer-policy']).toBe('no-referrer');
    expect(received.headers['x-robots-tag']).toBe('noindex');
    expect(received.body).toContain('<meta name="robots" content="noindex, nofollow">');
    const due = formatDateTime('fr', report?.responseDueAt as Date, 'Europe/Paris');
    expect(received.body).toContain(`Merci\u00a0: le rapport n° ${report?.number} est bien reçu`);
    expect(received.body).toContain(escapeHtml(due));
    const follow = `${t.ctx.config.publicUrl}/fr/security/follow/${token}`;
    expect(received.body).toContain(`href="${follow}"`);
    expect(received.body).toContain('Conservez ce lien');

    const [receipt] = await queuedMails(t.ctx, email);
    expect(receipt?.subject).toContain(`${report?.number}`);
    expect(receipt?.text).toContain(due);
    expect(receipt?.text).toContain(follow);

    // A triager answers; the researcher reads it through the follow link.
    const stored = await findReportById(t.ctx.database.db, report?.id as string);
    await t.ctx.database.db.transaction((tx) =>
      addTeamMessage(t.ctx, tx, systemActor('test triager'), stored as NonNullable<typeof stored>, {
        body: 'Merci, nous reproduisons le problème.',
        authorUserId: null,
      }),
    );
    const page = await visit(t.app, `/fr/security/follow/${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Merci, nous reproduisons le problème.');
    expect(page.body).toContain('XSS stockée dans le nom affiché');
  });

  it('refuses a bad attachment on the form with an error next to the field, keeping the text', async () => {
    const res = await postMultipart(t.app, '/en/security/report', [
      ...fieldParts(frenchFields(version)),
      { name: 'attachments', fileName: 'photo.png', contentType: 'image/png', content: EXE },
    ]);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(
      '<a href="#field-attachments">The file “photo.png” is not of an accepted type',
    );
    expect(res.body).toContain('attach your files once more');
    expect(res.body).toContain('XSS stockée dans le nom affiché');
  });

  it('accepts the form url-encoded too, and limits reports per e-mail address keeping what was typed', async () => {
    const email = researcherEmail();
    for (let i = 0; i < 5; i += 1) {
      const sent = await postForm(t.app, '/en/security/report', {
        ...frenchFields(version, email),
        title: `Report ${i}`,
      });
      expect(sent.statusCode, sent.body).toBe(303);
    }
    const refused = await postForm(t.app, '/en/security/report', {
      ...frenchFields(version, email),
      title: 'One too many',
    });
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Too many reports came from this address in the last hour');
    expect(refused.body).toContain('value="One too many"');
  });

  it('limits form posts per client address', async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const res = await postForm(t.app, '/en/security/report', { title: '' }, { remoteAddress: ip });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 10).every((status) => status === 422)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('answers an unknown received link with the same 404 page as any wrong link', async () => {
    const res = await visit(t.app, `/en/security/report/received/${'A'.repeat(43)}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('This link does not open a report');
  });
});
