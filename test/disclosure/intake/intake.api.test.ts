import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../../src/core/i18n/index.ts';
import {
  openAttachmentContent,
  openReporter,
  reporterEmailHash,
} from '../../../src/disclosure/reports/reports.sealing.ts';
import { findAttachments, findReportById } from '../../../src/disclosure/reports/reports.store.ts';
import { disclosureReports } from '../../../src/disclosure/tables.ts';
import { loginAs, type SignedIn, uniqueIp } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';
import {
  EXE,
  JPEG,
  PDF,
  postMultipart,
  publishIntakeProgram,
  REPORTS_API,
  reportBody,
  researcherEmail,
  tokenOf,
} from './intake-helpers.ts';

describe('report intake API: POST /api/v1/disclosure/reports', () => {
  let t: TestApp;
  let admin: SignedIn;
  let version: number;

  const submit = (payload: Record<string, unknown>, remoteAddress = uniqueIp()) =>
    t.app.inject({ method: 'POST', url: REPORTS_API, payload, remoteAddress });
  const reportCount = async () =>
    (await t.ctx.database.db.select({ n: count() }).from(disclosureReports))[0]?.n ?? 0;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    version = await publishIntakeProgram(t.app, admin.headers);
  });
  afterAll(() => t?.close());

  it('lists assets, categories with out-of-scope flags, the policy version and limits for API clients', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${REPORTS_API}/intake-options?locale=fr` });
    expect(res.statusCode, res.body).toBe(200);
    const options = res.json();
    expect(options.policyVersion).toBe(version);
    expect(options.locale).toBe('fr');
    expect(options.assets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ identifier: 'legacy.example.com', inScope: false }),
        expect.objectContaining({
          identifier: 'app.example.com',
          inScope: true,
          description: 'The application',
        }),
      ]),
    );
    expect(options.categories).toContainEqual(
      expect.objectContaining({ key: 'missing-dnssec', label: 'Absence de DNSSEC', outOfScope: true }),
    );
    expect(options.categories).toContainEqual(
      expect.objectContaining({ key: 'sql-injection', label: 'Injection SQL', outOfScope: false }),
    );
    expect(options.attachments).toMatchObject({ maxFiles: 5, maxFileBytes: 10 * 1024 * 1024 });
  });

  it('documents both operations as public, the submission as JSON or multipart', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const post = doc.paths['/api/v1/disclosure/reports'].post;
    expect(post.security).toEqual([]);
    expect(Object.keys(post.requestBody.content).sort()).toEqual(['application/json', 'multipart/form-data']);
    expect(post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['title', 'description', 'acceptPolicy', 'policyVersion']),
    );
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '413', '422', '429']));
    expect(doc.paths['/api/v1/disclosure/reports/intake-options'].get.security).toEqual([]);
  });

  it('answers 201 with id, number, ISO due date, private follow URL, and has stored the report before', async () => {
    const body = reportBody(version, { locale: 'fr' });
    const res = await submit(body);
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(Object.keys(created).sort()).toEqual(['followUrl', 'id', 'number', 'outOfScope', 'responseDueBy']);
    expect(created.responseDueBy).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(created.followUrl).toMatch(
      new RegExp(`^${t.ctx.config.publicUrl}/fr/security/follow/[A-Za-z0-9_-]{43}$`),
    );
    expect(created.outOfScope).toBe(false);

    // Read right after the answer, on the same database: the row is there, committed.
    const row = await findReportById(t.ctx.database.db, created.id);
    expect(row).toMatchObject({
      number: created.number,
      channel: 'api',
      locale: 'fr',
      asset: 'app.example.com',
      policyVersion: version,
      outOfScope: false,
      creditPreference: 'name',
    });
    expect(row?.responseDueAt.toISOString()).toBe(created.responseDueBy);
    expect(row?.followTokenHash).not.toContain(tokenOf(created.followUrl));
    const reporter = openReporter(t.ctx.keyring, created.id, row?.reporterSealed ?? null);
    expect(reporter.email).toBe((body.reporter as { email: string }).email);
    expect((await auditEntries(t.ctx, 'disclosure.report.received')).map((e) => e.targetId)).toContain(
      created.id,
    );
  });

  it('queues the receipt in the report’s language, with the due date in the program’s time zone', async () => {
    const body = reportBody(version, { locale: 'es' });
    const email = (body.reporter as { email: string }).email;
    const created = (await submit(body)).json();
    const mails = await queuedMails(t.ctx, email);
    expect(mails).toHaveLength(1);
    const receipt = mails[0];
    expect(receipt?.subject).toContain(`Hemos recibido su informe de seguridad n.º ${created.number}`);
    const due = formatDateTime('es', new Date(created.responseDueBy), 'Europe/Paris');
    expect(receipt?.text).toContain(due);
    expect(receipt?.text).toContain(created.followUrl);
  });

  it('flags a report out of scope by category or by asset, and still accepts it', async () => {
    const byCategory = await submit(reportBody(version, { category: 'missing-dnssec' }));
    expect(byCategory.statusCode, byCategory.body).toBe(201);
    expect(byCategory.json().outOfScope).toBe(true);
    const byAsset = await submit(reportBody(version, { asset: 'legacy.example.com' }));
    expect(byAsset.json().outOfScope).toBe(true);
    const stored = await findReportById(t.ctx.database.db, byAsset.json().id);
    expect(stored?.outOfScope).toBe(true);
  });

  it('names an earlier similar report on the same asset as a duplicate candidate', async () => {
    const text = {
      asset: 'app.example.com',
      title: 'SQL injection in the invoice search filter parameter',
      description:
        'The invoice search endpoint concatenates the filter parameter into the SQL query, so a quote breaks out and any row of the invoices table can be read.',
    };
    const first = (await submit(reportBody(version, text))).json();
    const other = (await submit(reportBody(version, { ...text, asset: 'other.example.com' }))).json();
    const second = (await submit(reportBody(version, { ...text, title: `${text.title} (again)` }))).json();
    const row = await findReportById(t.ctx.database.db, second.id);
    expect(row?.duplicateCandidates).toContain(first.id);
    expect(row?.duplicateCandidates).not.toContain(other.id);
  });

  it('accepts an anonymous report: no identity stored, no mail, credited to nobody', async () => {
    const before = (await queuedMails(t.ctx)).length;
    const res = await submit(reportBody(version, { reporter: undefined, creditPreference: undefined }));
    expect(res.statusCode, res.body).toBe(201);
    const row = await findReportById(t.ctx.database.db, res.json().id);
    expect(row).toMatchObject({
      reporterSealed: null,
      reporterEmailHash: null,
      creditPreference: 'anonymous',
    });
    // Only the team is told (the admin is the one triager here); there is nobody to send a receipt to.
    const sent = (await queuedMails(t.ctx)).slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((mail) => mail.to !== admin.made.user.email)).toEqual([]);
  });

  it('refuses invalid reports with 422 and stores nothing', async () => {
    const before = await reportCount();
    const badCvss = await submit(reportBody(version, { cvssVector: 'CVSS:3.1/AV:N/AC:L' }));
    expect(badCvss.statusCode).toBe(422);
    expect(badCvss.json().errors).toContainEqual(
      expect.objectContaining({
        pointer: '/cvssVector',
        detail: expect.stringContaining('base metrics missing'),
      }),
    );
    const wrongPrefix = await submit(
      reportBody(version, { cvssVector: 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }),
    );
    expect(wrongPrefix.json().errors[0].detail).toContain('CVSS:3.1/');
    const noAccept = await submit(reportBody(version, { acceptPolicy: undefined }));
    expect(noAccept.statusCode).toBe(422);
    expect(noAccept.json().errors).toContainEqual(expect.objectContaining({ pointer: '/acceptPolicy' }));
    expect((await submit(reportBody(version, { acceptPolicy: false }))).statusCode).toBe(422);
    const unknownVersion = await submit(reportBody(version, { policyVersion: version + 50 }));
    expect(unknownVersion.statusCode).toBe(422);
    expect(unknownVersion.json().errors).toContainEqual(
      expect.objectContaining({ pointer: '/policyVersion' }),
    );
    expect((await submit(reportBody(version, { title: '' }))).statusCode).toBe(422);
    expect(await reportCount()).toBe(before);

    const valid4 = await submit(
      reportBody(version, { cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }),
    );
    expect(valid4.statusCode, valid4.body).toBe(201);
  });

  it('takes attachments as multipart, typed by their bytes, sealed at rest', async () => {
    const body = reportBody(version);
    const res = await postMultipart(t.app, REPORTS_API, [
      { name: 'report', value: JSON.stringify(body), contentType: 'application/json' },
      { name: 'attachments', fileName: 'proof.pdf', content: PDF },
      { name: 'attachments', fileName: 'screenshot.png', contentType: 'image/png', content: JPEG },
      { name: 'attachments', fileName: 'request.txt', content: Buffer.from('GET /profile HTTP/1.1\n') },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const files = await findAttachments(t.ctx.database.db, res.json().id);
    expect(files.map((file) => file.contentType).sort()).toEqual([
      'application/pdf',
      'image/jpeg',
      'text/plain; charset=utf-8',
    ]);
    const pdf = files.find((file) => file.contentType === 'application/pdf');
    expect(openAttachmentContent(t.ctx.keyring, pdf?.id as string, pdf?.contentSealed as string)).toEqual(
      PDF,
    );
  });

  it('refuses a bad attachment type (422), too many files (422) and a file over 10 MiB (413), storing nothing', async () => {
    const before = await reportCount();
    const report = { name: 'report', value: JSON.stringify(reportBody(version)) };
    const exe = await postMultipart(t.app, REPORTS_API, [
      report,
      { name: 'attachments', fileName: 'screenshot.png', contentType: 'image/png', content: EXE },
    ]);
    expect(exe.statusCode).toBe(422);
    expect(exe.json().code).toBe('disclosure-attachment-type-unsupported');
    const many = await postMultipart(t.app, REPORTS_API, [
      report,
      ...Array.from({ length: 6 }, (_, i) => ({ name: 'attachments', fileName: `p${i}.pdf`, content: PDF })),
    ]);
    expect(many.statusCode).toBe(422);
    expect(many.json().code).toBe('disclosure-too-many-attachments');
    const big = await postMultipart(t.app, REPORTS_API, [
      report,
      { name: 'attachments', fileName: 'huge.txt', content: Buffer.alloc(10 * 1024 * 1024 + 1, 'a') },
    ]);
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({
      code: 'disclosure-attachment-too-large',
      limitBytes: 10 * 1024 * 1024,
    });
    const missing = await postMultipart(t.app, REPORTS_API, [
      { name: 'attachments', fileName: 'a.pdf', content: PDF },
    ]);
    expect(missing.statusCode).toBe(400);
    expect(await reportCount()).toBe(before);
  });

  it('limits submissions per client address (5 a minute) and per reporter e-mail (5 an hour)', async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await submit(reportBody(version), ip)).statusCode);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);

    const email = researcherEmail();
    const withEmail = () =>
      reportBody(version, { reporter: { email: email.toUpperCase() }, creditPreference: 'anonymous' });
    for (let i = 0; i < 5; i += 1) expect((await submit(withEmail())).statusCode).toBe(201);
    const refused = await submit(withEmail());
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('rate-limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    const stored = await t.ctx.database.db
      .select({ n: count() })
      .from(disclosureReports)
      .where(eq(disclosureReports.reporterEmailHash, reporterEmailHash(t.ctx.keyring, email)));
    expect(stored[0]?.n).toBe(5);
  });

  it('keeps report bodies, identities and files encrypted in the database', async () => {
    const secretTitle = `Unique-title-${Date.now()}`;
    const body = reportBody(version, { title: secretTitle });
    const email = (body.reporter as { email: string }).email;
    const res = await postMultipart(t.app, REPORTS_API, [
      { name: 'report', value: JSON.stringify(body) },
      {
        name: 'attachments',
        fileName: 'secret-file-name.txt',
        content: Buffer.from('plaintext-proof-of-concept'),
      },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const { rows } = await t.ctx.database.executeSql(
      `select r.content_sealed, r.reporter_sealed, a.file_name_sealed, a.content_sealed as file_sealed
         from disclosure_reports r join disclosure_attachments a on a.report_id = r.id where r.id = $1`,
      [id],
    );
    const raw = JSON.stringify(rows);
    expect(rows).toHaveLength(1);
    for (const plain of [secretTitle, email, 'Zoë', 'secret-file-name', 'plaintext-proof', 'Stored XSS']) {
      expect(raw).not.toContain(plain);
    }
    expect(raw).not.toContain(Buffer.from('plaintext-proof-of-concept').toString('base64'));
  });
});
