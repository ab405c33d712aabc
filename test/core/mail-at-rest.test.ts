import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/core/context.ts';
import { MAIL_SEND_JOB, openMail, sealLegacyMailJobs } from '../../src/core/mail/mail.jobs.ts';
import { outboxDir } from '../../src/core/mail/mail.routes.ts';
import { listOutbox } from '../../src/core/mail/outbox.ts';
import {
  postMultipart,
  publishIntakeProgram,
  REPORTS_API,
  reportBody,
  researcherEmail,
  tokenOf,
} from '../disclosure/intake/intake-helpers.ts';
import { postForm, publishGatedDocument, requestFields } from '../fixtures/access.ts';
import { loginAs, makeUser, type SignedIn, tokenInMail, uniqueIp } from '../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

/** Every row of every table (pg-boss's schema included), as text: what read-only database access shows. */
async function dumpDatabase(ctx: AppContext): Promise<string> {
  const { rows } = await ctx.database.executeSql(
    `select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    [],
  );
  const parts: string[] = [];
  for (const { schema, name } of rows as { schema: string; name: string }[]) {
    const dumped = await ctx.database.executeSql(`select t::text as row from "${schema}"."${name}" t`, []);
    parts.push(`-- ${schema}.${name}`, ...(dumped.rows as { row: string }[]).map((r) => r.row));
  }
  return parts.join('\n');
}

/** Every file under the data folder, quoted-printable soft breaks undone so split lines still match. */
function dumpFolder(dir: string): string {
  const parts: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const text = readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1');
    parts.push(`-- ${entry.name}`, text, text.replace(/=\r?\n/g, ''));
  }
  return parts.join('\n');
}

describe('mail at rest: no link, token, reporter address or report title in the database or data folder', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp({ workers: true });
    admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
  });
  afterAll(() => t?.close());

  /** Outbox items (decrypted for the admin) once `count` messages have been written. */
  async function outboxOnceDelivered(count: number) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/mail/outbox?limit=100',
        headers: admin.headers,
        remoteAddress: uniqueIp(),
      });
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as { to: string; subject: string; text: string }[];
      if (items.length >= count) return items;
      if (Date.now() > deadline) throw new Error(`only ${items.length} of ${count} mails delivered`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('seals mail jobs and outbox files, and admins still read the outbox in clear', async () => {
    // Account mail: a password reset and a pending admin invitation.
    const user = await makeUser(t.ctx, { role: 'employee' });
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/password-reset',
      remoteAddress: uniqueIp(),
      payload: { email: user.user.email },
    });
    expect(reset.statusCode).toBe(202);
    const invitee = `invitee-${Date.now()}@example.test`;
    const invited = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/invitations',
      remoteAddress: uniqueIp(),
      headers: admin.headers,
      payload: { email: invitee, role: 'admin' },
    });
    expect(invited.statusCode, invited.body).toBe(201);

    // A disclosure report with the reporter's address (receipt + team notice), then a portal link.
    const version = await publishIntakeProgram(t.app, admin.headers);
    const reporter = researcherEmail();
    const title = `Account takeover through the export ${Date.now()}`;
    const sent = await postMultipart(t.app, REPORTS_API, [
      {
        name: 'report',
        value: JSON.stringify(reportBody(version, { title, reporter: { email: reporter } })),
      },
    ]);
    expect(sent.statusCode, sent.body).toBe(201);
    const followToken = tokenOf(sent.json().followUrl);
    expect((await postForm(t.app, '/en/security/portal', { email: reporter })).statusCode).toBe(200);

    // A trust-center access request (confirmation link to the visitor, who is anonymous).
    const document = await publishGatedDocument(t.ctx);
    const visitor = `visitor-${Date.now()}@buyer.example.test`;
    const asked = await postForm(t.app, `/en/documents/${document.slug}/request`, requestFields(visitor));
    expect(asked.statusCode).toBe(200);

    // reset, invitation, receipt, team notice (the admin), portal link, access confirmation.
    const items = await outboxOnceDelivered(6);
    const textTo = (to: string, part: string) => {
      const mail = items.find((item) => item.to === to && item.text.includes(part));
      if (!mail) throw new Error(`no mail to ${to} with ${part}`);
      return mail.text;
    };
    const resetToken = tokenInMail(textTo(user.user.email, 'reset-password'));
    const invitationToken = tokenInMail(textTo(invitee, 'token='));
    const portalToken = tokenOf(
      textTo(reporter, '/security/portal/').match(/\S+\/security\/portal\/\S+/)?.[0] ?? '',
    );
    const confirmToken = /\/access\/confirm\/([A-Za-z0-9_-]+)/.exec(textTo(visitor, '/access/confirm/'))?.[1];
    expect(confirmToken).toBeDefined();
    expect(textTo(reporter, followToken)).toContain(title);

    // Wait for every mail job to finish, so completed rows (and their output) are in the dump too.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await t.ctx.database.executeSql(
        "select count(*)::int as n from pgboss.job where name = 'core.mail-send' and state <> 'completed'",
        [],
      );
      if ((rows[0] as { n: number }).n === 0) break;
      if (Date.now() > deadline) throw new Error('mail jobs did not complete');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const database = await dumpDatabase(t.ctx);
    const folder = dumpFolder(t.dataDir);
    expect(folder).toMatch(/-- \S+\.eml\n/);
    const pgboss = database
      .split('\n-- ')
      .filter((part) => part.startsWith('pgboss.'))
      .join('\n');
    expect(pgboss).toContain('core.mail-send');

    // Secrets: nowhere at all.
    const secrets = {
      resetToken,
      invitationToken,
      followToken,
      portalToken,
      confirmToken: confirmToken as string,
      reporter,
      title,
    };
    for (const [name, secret] of Object.entries(secrets)) {
      expect(database.includes(secret), `${name} in the database`).toBe(false);
      expect(folder.includes(secret), `${name} in the data folder`).toBe(false);
    }
    // Recipients live in their own tables (users, invitations, visitors); never in jobs or files.
    for (const address of [user.user.email, invitee, admin.made.user.email, visitor]) {
      expect(pgboss.includes(address), `${address} in pg-boss`).toBe(false);
      expect(folder.includes(address), `${address} in the data folder`).toBe(false);
    }

    // The admin's outbox view is decrypted, and the raw listing works from the sealed files.
    const listed = await listOutbox(outboxDir(t.ctx), t.ctx.keyring, { limit: 100 });
    expect(listed.items.map((item) => item.to)).toContain(reporter);
  });
});

describe('mail jobs queued in clear by an older version', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it('are sealed at start, their stored errors masked, and still send the same message', async () => {
    const message = {
      to: 'legacy-recipient@example.test',
      subject: 'Reset your password',
      text: 'https://attest.example.test/app/reset-password?token=legacy-reset-token',
      html: '<p>legacy</p>',
    };
    const id = await t.ctx.jobs.boss.send(MAIL_SEND_JOB, message);
    await t.ctx.database.executeSql('update pgboss.job set output = $1::jsonb where id = $2', [
      JSON.stringify({ message: 'Recipient command failed: 550 <legacy-recipient@example.test> unknown' }),
      id,
    ]);

    expect(await sealLegacyMailJobs(t.ctx)).toBe(1);
    expect(await sealLegacyMailJobs(t.ctx)).toBe(0);
    const { rows } = await t.ctx.database.executeSql('select data, output from pgboss.job where id = $1', [
      id,
    ]);
    const row = rows[0] as { data: { sealed: string }; output: unknown };
    expect(JSON.stringify(row)).not.toContain('legacy-re');
    expect(JSON.stringify(row.output)).toContain('550 <<address>> unknown');
    expect(openMail(t.ctx.keyring, row.data)).toEqual(message);
  });
});
