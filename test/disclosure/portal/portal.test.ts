import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/crypto/index.ts';
import { systemActor } from '../../../src/core/http/actor.ts';
import {
  addInternalNote,
  addSystemMessage,
  addTeamMessage,
  listMessages,
} from '../../../src/disclosure/reports/messages.service.ts';
import { openReporter } from '../../../src/disclosure/reports/reports.sealing.ts';
import {
  findAttachments,
  findReportById,
  type ReportRow,
} from '../../../src/disclosure/reports/reports.store.ts';
import { disclosureResearcherLinks } from '../../../src/disclosure/tables.ts';
import { linkInMail, postForm, visit } from '../../fixtures/access.ts';
import { loginAs, makeUser, type SignedIn } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';
import {
  JPEG,
  PDF,
  postMultipart,
  publishIntakeProgram,
  REPORTS_API,
  reportBody,
  researcherEmail,
  tokenOf,
} from '../intake/intake-helpers.ts';

type Sent = { report: ReportRow; token: string; email: string };

describe('researcher portal: follow links, magic links, isolation', () => {
  let t: TestApp;
  let admin: SignedIn;
  let version: number;
  let triagerEmail: string;
  let a1: Sent;
  let a2: Sent;
  let b: Sent;
  const actor = systemActor('test triager');

  /** A report sent through the API with a PDF attached; returns the stored row and the follow token. */
  async function send(email: string, title: string): Promise<Sent> {
    const res = await postMultipart(t.app, REPORTS_API, [
      {
        name: 'report',
        value: JSON.stringify(reportBody(version, { title, reporter: { email, name: 'R' } })),
      },
      { name: 'attachments', fileName: `${title}.pdf`, content: PDF },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const report = await findReportById(t.ctx.database.db, res.json().id);
    return { report: report as ReportRow, token: tokenOf(res.json().followUrl), email };
  }

  /** The portal link mailed to `email` after asking for one on the portal form. */
  async function portalLink(email: string): Promise<string> {
    const asked = await postForm(t.app, '/en/security/portal', { email });
    expect(asked.statusCode).toBe(200);
    return linkInMail(t.ctx, email, '/security/portal/');
  }

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    triagerEmail = (await makeUser(t.ctx, { role: 'security', locale: 'fr' })).user.email;
    version = await publishIntakeProgram(t.app, admin.headers);
    const emailA = researcherEmail();
    a1 = await send(emailA, 'Alpha one: IDOR on invoices');
    a2 = await send(emailA, 'Alpha two: open redirect');
    b = await send(researcherEmail(), 'Bravo: secret finding of another researcher');
  });
  afterAll(() => t?.close());

  it('opens one report by its follow link: status, due date, private and never cached', async () => {
    const res = await visit(t.app, `/en/security/follow/${a1.token}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-robots-tag']).toBe('noindex');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(res.body).toContain(`Report #${a1.report.number}`);
    expect(res.body).toContain('Alpha one: IDOR on invoices');
    expect(res.body).toContain('Received, waiting for triage');
    expect(res.body).toContain(`datetime="${a1.report.responseDueAt.toISOString()}"`);
    expect(res.body).not.toContain('Bravo');
    // The same token opens it in another language.
    const fr = await visit(t.app, `/fr/security/follow/${a1.token}`);
    expect(fr.statusCode).toBe(200);
    expect(fr.body).toContain('<html lang="fr"');
    expect(fr.body).toContain('Reçu, en attente de tri');
  });

  it('shows team and system messages but never internal notes', async () => {
    await t.ctx.database.db.transaction(async (tx) => {
      await addTeamMessage(t.ctx, tx, actor, a1.report, {
        body: 'Thanks, we can reproduce it.',
        authorUserId: null,
      });
      await addSystemMessage(t.ctx, tx, a1.report, 'Status changed: triaged.');
      await addInternalNote(t.ctx, tx, actor, a1.report, {
        body: 'INTERNAL: probably the legacy billing code',
        authorUserId: null,
      });
    });
    const res = await visit(t.app, `/en/security/follow/${a1.token}`);
    expect(res.body).toContain('Thanks, we can reproduce it.');
    expect(res.body).toContain('Attest security team');
    expect(res.body).toContain('Status changed: triaged.');
    expect(res.body).not.toContain('INTERNAL');
    expect(res.body).not.toContain('legacy billing');
  });

  it('takes a reply with an attachment, tells the team, and shows it after a redirect', async () => {
    const before = (await queuedMails(t.ctx, triagerEmail)).length;
    const res = await postMultipart(t.app, `/en/security/follow/${a1.token}/messages`, [
      { name: 'body', value: 'Here is a second request that shows it.' },
      { name: 'attachments', fileName: 'shot.jpg', contentType: 'image/jpeg', content: JPEG },
    ]);
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`/en/security/follow/${a1.token}?done=reply#messages-title`);
    const messages = await listMessages(t.ctx, t.ctx.database.db, a1.report.id, 'team');
    const reply = messages.find((m) => m.kind === 'researcher');
    expect(reply?.body).toBe('Here is a second request that shows it.');
    expect((await queuedMails(t.ctx, triagerEmail)).length).toBe(before + 1);
    expect((await auditEntries(t.ctx, 'disclosure.message.received')).map((e) => e.targetId)).toContain(
      a1.report.id,
    );
    const page = await visit(t.app, res.headers.location as string);
    expect(page.body).toContain('Your message was sent to the security team.');
    expect(page.body).toContain('Here is a second request that shows it.');
    expect(page.body).toContain('shot.jpg');

    // Stored encrypted: the raw column holds none of the text.
    const { rows } = await t.ctx.database.executeSql(
      'select body_sealed from disclosure_messages where report_id = $1',
      [a1.report.id],
    );
    expect(JSON.stringify(rows)).not.toContain('second request');

    const empty = await postMultipart(t.app, `/en/security/follow/${a1.token}/messages`, [
      { name: 'body', value: '   ' },
    ]);
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('<a href="#field-body">Write a message: it cannot be empty.</a>');
    const emptyFr = await postMultipart(t.app, `/fr/security/follow/${a1.token}/messages`, [
      { name: 'body', value: '' },
    ]);
    expect(emptyFr.body).toContain(
      '<a href="#field-body">Écrivez un message\u00a0: il ne peut pas être vide.</a>',
    );
  });

  it('downloads the report’s attachments through the token only', async () => {
    const [file] = await findAttachments(t.ctx.database.db, a1.report.id);
    const [otherFile] = await findAttachments(t.ctx.database.db, b.report.id);
    const res = await visit(t.app, `/en/security/follow/${a1.token}/attachments/${file?.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="Alpha one: IDOR on invoices\.pdf"/,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.rawPayload).toEqual(PDF);
    // B's file id under A's token: not found, like any guess.
    const foreign = await visit(t.app, `/en/security/follow/${a1.token}/attachments/${otherFile?.id}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain('%PDF');
  });

  it('saves the credit preference (name, handle, link or anonymous), audited, keeping the address', async () => {
    const refused = await postMultipart(t.app, `/en/security/follow/${a2.token}/credit`, [
      { name: 'creditPreference', value: 'handle' },
      { name: 'handle', value: '' },
    ]);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('<a href="#field-handle">Enter the handle to credit');

    const saved = await postMultipart(t.app, `/en/security/follow/${a2.token}/credit`, [
      { name: 'creditPreference', value: 'handle' },
      { name: 'name', value: 'Alice Example' },
      { name: 'handle', value: 'alice0x' },
      { name: 'url', value: 'https://alice.example.test' },
    ]);
    expect(saved.statusCode, saved.body).toBe(303);
    const row = await findReportById(t.ctx.database.db, a2.report.id);
    expect(row?.creditPreference).toBe('handle');
    expect(openReporter(t.ctx.keyring, a2.report.id, row?.reporterSealed ?? null)).toEqual({
      email: a2.email,
      name: 'Alice Example',
      handle: 'alice0x',
      url: 'https://alice.example.test',
    });
    const audit = (await auditEntries(t.ctx, 'disclosure.report.credit-changed')).at(-1);
    expect(audit).toMatchObject({
      targetId: a2.report.id,
      details: { from: 'name', creditPreference: 'handle' },
    });
    expect(JSON.stringify(audit?.details)).not.toContain('alice0x');
    const page = await visit(t.app, `/en/security/follow/${a2.token}`);
    expect(page.body).toMatch(/value="handle" checked/);
    expect(page.body).toContain('value="alice0x"');
  });

  it('mails a portal link only to an address with reports, answering the same page either way', async () => {
    const unknown = researcherEmail();
    const sentUnknown = await postForm(t.app, '/es/security/portal', { email: unknown });
    const sentKnown = await postForm(t.app, '/es/security/portal', { email: b.email.toUpperCase() });
    expect(sentUnknown.statusCode).toBe(200);
    expect(sentKnown.statusCode).toBe(200);
    expect(sentKnown.body).toBe(sentUnknown.body);
    expect(await queuedMails(t.ctx, unknown)).toEqual([]);
    const mails = (await queuedMails(t.ctx, b.email)).filter((m) => m.text.includes('/es/security/portal/'));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain('Su enlace a sus informes de seguridad');
    const audits = await auditEntries(t.ctx, 'disclosure.portal-link.requested');
    expect(audits.slice(-2).map((a) => a.details)).toEqual([
      { known: false, sent: false },
      { known: true, sent: true },
    ]);
    expect((await postForm(t.app, '/es/security/portal', { email: 'nope' })).statusCode).toBe(422);
  });

  it('lists only the reports of the portal link’s address, each openable under that link', async () => {
    const link = await portalLink(a1.email);
    const list = await visit(t.app, link);
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.body).toContain('Alpha one: IDOR on invoices');
    expect(list.body).toContain('Alpha two: open redirect');
    expect(list.body).not.toContain('Bravo');
    const opened = await visit(t.app, `${link}/reports/${a2.report.number}`);
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('Alpha two: open redirect');
    const replied = await postMultipart(t.app, `${link}/reports/${a2.report.number}/messages`, [
      { name: 'body', value: 'Answer through the portal.' },
    ]);
    expect(replied.statusCode).toBe(303);
    expect(replied.headers.location).toBe(`${link}/reports/${a2.report.number}?done=reply#messages-title`);
  });

  it('never lets researcher A read B’s report: guessed ids and numbers, reused tokens, expired links', async () => {
    const link = await portalLink(a1.email);
    const portalToken = tokenOf(link);
    const guesses = [
      `/en/security/follow/${b.report.id}`,
      `/en/security/follow/${b.report.number}`,
      `/en/security/follow/${a1.token.slice(0, -1)}x`,
      `/en/security/portal/${a1.token}`,
      `/en/security/portal/${a1.token}/reports/${b.report.number}`,
      `/en/security/portal/${portalToken}/reports/${b.report.number}`,
      `/en/security/portal/${portalToken}/reports/${b.report.id}`,
      `/en/security/portal/${b.token}/reports/${b.report.number}`,
      `/en/security/report/received/${portalToken}`,
    ];
    const answers = await Promise.all(guesses.map((url) => visit(t.app, url)));
    expect(answers.map((res) => res.statusCode)).toEqual(guesses.map(() => 404));
    for (const res of answers) {
      expect(res.body).toContain('This link does not open a report');
      expect(res.body).not.toContain('Bravo');
    }
    // The same page for every wrong link: nothing tells a guess from an expired or foreign one.
    expect(new Set(answers.map((res) => res.body)).size).toBe(1);

    // Writing through A's link to B's report changes nothing.
    const before = await listMessages(t.ctx, t.ctx.database.db, b.report.id, 'team');
    const write = await postMultipart(t.app, `${link}/reports/${b.report.number}/messages`, [
      { name: 'body', value: 'Injected into B' },
    ]);
    const credit = await postMultipart(t.app, `${link}/reports/${b.report.number}/credit`, [
      { name: 'creditPreference', value: 'anonymous' },
    ]);
    expect([write.statusCode, credit.statusCode]).toEqual([404, 404]);
    expect(await listMessages(t.ctx, t.ctx.database.db, b.report.id, 'team')).toEqual(before);
    expect((await findReportById(t.ctx.database.db, b.report.id))?.creditPreference).toBe('name');

    // An expired portal link opens nothing any more, not even the list.
    await t.ctx.database.db
      .update(disclosureResearcherLinks)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(disclosureResearcherLinks.tokenHash, sha256Hex(portalToken)));
    expect((await visit(t.app, link)).statusCode).toBe(404);
    expect((await visit(t.app, `${link}/reports/${a1.report.number}`)).statusCode).toBe(404);
  });
});
