import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImapUrl } from '../../../../src/disclosure/channels/mail/mail-intake.imap.ts';
import { processInboundMail } from '../../../../src/disclosure/channels/mail/mail-intake.process.ts';
import {
  type MailIntake,
  mailIntakeStatus,
  startMailIntake,
} from '../../../../src/disclosure/channels/mail/mail-intake.ts';
import { buildTestApp, type TestApp } from '../../../helpers/app.ts';
import { signRaw } from './mail-auth-helpers.ts';
import {
  inboundRows,
  newMessageId,
  openReport,
  queuedMailsWithHeaders,
  RESEARCHER_DKIM,
  researcherAddress,
  SECURITY_ADDRESS,
} from './mail-intake-helpers.ts';

const DOVECOT = '/usr/sbin/dovecot';
const MAILBOX_USER = 'security';
const MAILBOX_PASSWORD = 'pa ss/wörd';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A private Dovecot (Debian's dovecot-imapd) in a temp folder: one user with a plain password, Maildir.
 * As root, login processes run as `dovenull` and mail as `dovecot` (Dovecot refuses root for both);
 * otherwise everything runs as the current user.
 */
async function startDovecot(): Promise<{ port: number; dir: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'attest-dovecot-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const me = userInfo().username;
  const [loginUser, mailUser] = asRoot ? ['dovenull', 'dovecot'] : [me, me];
  for (const sub of ['mail', 'base', 'state']) mkdirSync(path.join(dir, sub));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', mailUser]).toString());
    const gid = Number(execFileSync('id', ['-g', mailUser]).toString());
    chownSync(path.join(dir, 'mail'), uid, gid);
  }
  writeFileSync(path.join(dir, 'passwd'), `${MAILBOX_USER}:{PLAIN}${MAILBOX_PASSWORD}::::::\n`);
  writeFileSync(
    path.join(dir, 'dovecot.conf'),
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/base
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${mailUser}
default_internal_group = ${mailUser}
default_login_user = ${loginUser}
mail_uid = ${mailUser}
mail_gid = ${mailUser}
first_valid_uid = 0
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUser} gid=${mailUser} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
`,
  );
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', path.join(dir, 'dovecot.conf')], {
    stdio: 'ignore',
  });
  await waitForPort(port);
  return {
    port,
    dir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!existsSync(DOVECOT))(
  // Skipped where Dovecot is not installed (apt-get install dovecot-imapd; CI installs it).
  'e-mail intake by polling an IMAP mailbox (Dovecot)',
  () => {
    let dovecot: Awaited<ReturnType<typeof startDovecot>>;
    let t: TestApp;
    let intake: MailIntake;
    let client: ImapFlow;

    /** Delivers a message into the mailbox as an MTA (or another client) would. */
    async function deliver(raw: string): Promise<void> {
      await client.append('INBOX', raw.replace(/\r?\n/g, '\r\n'));
    }

    async function flagsOf(messageId: string): Promise<Set<string>> {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const [uid] = (await client.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
        const message = await client.fetchOne(String(uid), { flags: true }, { uid: true });
        return (message ? message.flags : undefined) ?? new Set();
      } finally {
        lock.release();
      }
    }

    beforeAll(async () => {
      dovecot = await startDovecot();
      const password = encodeURIComponent(MAILBOX_PASSWORD);
      t = await buildTestApp({
        env: {
          DISCLOSURE_IMAP_URL: `imap://${MAILBOX_USER}:${password}@127.0.0.1:${dovecot.port}/INBOX`,
          DISCLOSURE_IMAP_POLL_SECONDS: '3600',
          DISCLOSURE_MAIL_ADDRESS: SECURITY_ADDRESS,
        },
      });
      client = new ImapFlow({
        host: '127.0.0.1',
        port: dovecot.port,
        secure: false,
        auth: { user: MAILBOX_USER, pass: MAILBOX_PASSWORD },
        logger: false,
      });
      await client.connect();
      intake = await startMailIntake(t.ctx);
      // The poll that runs at start (the mailbox is still empty).
      await intake.pollNow();
    });
    afterAll(async () => {
      await client?.logout().catch(() => undefined);
      await intake?.close();
      await t?.close();
      await dovecot?.stop();
    });

    it('reads the password from the URL, percent-decoded, and never shows it', () => {
      const target = parseImapUrl(t.ctx.config.disclosureMail.imap?.url as string);
      expect(target).toMatchObject({ user: MAILBOX_USER, password: MAILBOX_PASSWORD, mailbox: 'INBOX' });
    });

    it('turns an unread message into a report, flags it \\Seen, and threads a reply appended later', async () => {
      const from = researcherAddress('investigador');
      const messageId = newMessageId();
      await deliver(`From: Ana García <${from}>
To: ${SECURITY_ADDRESS}
Subject: CSRF en el cambio de contraseña
Message-ID: ${messageId}
Content-Language: es
Content-Type: text/plain; charset=utf-8

El formulario de cambio de contraseña no tiene token CSRF.
`);
      expect(await intake.pollNow()).toEqual({ stored: 1, alreadyStored: 0, tooLarge: 0 });
      expect((await flagsOf(messageId)).has('\\Seen')).toBe(true);

      const [row] = await inboundRows(t.ctx, messageId);
      expect(row?.source).toBe('imap');
      const created = await processInboundMail(t.ctx, row?.id as string);
      expect(created?.kind).toBe('report');
      const report = await openReport(t.ctx, created?.reportId as string);
      expect(report.content.title).toBe('CSRF en el cambio de contraseña');
      expect(report.row).toMatchObject({ channel: 'email', locale: 'es', sourceRef: messageId });
      const [receipt] = await queuedMailsWithHeaders(t.ctx, from);
      expect(receipt?.subject).toContain('Hemos recibido su informe de seguridad');
      const receiptId = receipt?.headers?.['Message-ID'] as string;

      // Signed by the sender's domain: over IMAP only DKIM can authenticate a reply (it threads).
      const replyId = newMessageId();
      const reply = `From: Ana García <${from}>
To: ${SECURITY_ADDRESS}
Subject: Re: CSRF en el cambio de contraseña
Message-ID: ${replyId}
In-Reply-To: ${receiptId}
References: ${messageId} ${receiptId}
Content-Type: text/plain; charset=utf-8

Adjunto una prueba de concepto.
`;
      await deliver(await signRaw(reply, RESEARCHER_DKIM));
      expect(await intake.pollNow()).toMatchObject({ stored: 1 });
      const [replyRow] = await inboundRows(t.ctx, replyId);
      expect(await processInboundMail(t.ctx, replyRow?.id as string)).toEqual({
        kind: 'reply',
        reportId: report.row.id,
      });
      const after = await openReport(t.ctx, report.row.id);
      expect(after.messages.filter((m) => m.kind === 'researcher').map((m) => m.body)).toEqual([
        expect.stringContaining('Adjunto una prueba de concepto.'),
      ]);

      // The same reply unsigned (its From could be forged) opens a report of its own, flagged.
      const forgedId = newMessageId();
      await deliver(reply.replace(replyId, forgedId).replace('Adjunto', 'Falso: adjunto'));
      await intake.pollNow();
      const [forgedRow] = await inboundRows(t.ctx, forgedId);
      const forged = await processInboundMail(t.ctx, forgedRow?.id as string);
      expect(forged?.kind).toBe('report');
      expect((await openReport(t.ctx, forged?.reportId as string)).row.senderVerified).toBe(false);
    });

    it('does not fetch a message twice: read ones are skipped, and one left unread after storing is stored once', async () => {
      const messageId = newMessageId();
      await deliver(`From: ${researcherAddress()}
To: ${SECURITY_ADDRESS}
Subject: Crash between store and flag
Message-ID: ${messageId}

Body.
`);
      await intake.pollNow();
      // As if the process stopped after storing, before the \\Seen flag: the message is unread again.
      const lock = await client.getMailboxLock('INBOX');
      try {
        await client.messageFlagsRemove({ header: { 'message-id': messageId } }, ['\\Seen']);
      } finally {
        lock.release();
      }
      expect(await intake.pollNow()).toEqual({ stored: 0, alreadyStored: 1, tooLarge: 0 });
      expect(await inboundRows(t.ctx, messageId)).toHaveLength(1);
      expect((await flagsOf(messageId)).has('\\Seen')).toBe(true);
      expect(await intake.pollNow()).toEqual({ stored: 0, alreadyStored: 0, tooLarge: 0 });
    });

    it('shows the mailbox and the last poll in the status, never the password', async () => {
      const status = await mailIntakeStatus(t.ctx);
      expect(status.imap).toMatchObject({
        configured: true,
        mailbox: `imap://${MAILBOX_USER}:***@127.0.0.1:${dovecot.port}/INBOX`,
        lastPoll: { stored: 0, alreadyStored: 0, tooLarge: 0 },
      });
      expect(status.imap.lastPollAt).not.toBeNull();
      expect(JSON.stringify(status)).not.toContain(encodeURIComponent(MAILBOX_PASSWORD));
      expect(JSON.stringify(status)).not.toContain(MAILBOX_PASSWORD);
    });

    it('records a failed poll as the last error, without the password', async () => {
      const wrong = 'wrong-secret-123';
      const brokenCtx = {
        ...t.ctx,
        config: {
          ...t.ctx.config,
          disclosureMail: {
            ...t.ctx.config.disclosureMail,
            imap: {
              url: `imap://${MAILBOX_USER}:${wrong}@127.0.0.1:${dovecot.port}/INBOX`,
              pollSeconds: 3600,
            },
          },
        },
      };
      const broken = await startMailIntake(brokenCtx);
      try {
        expect(await broken.pollNow()).toBeUndefined();
        const status = await mailIntakeStatus(brokenCtx);
        expect(status.lastError).toMatchObject({ source: 'imap' });
        expect(status.lastError?.message).not.toContain(wrong);
        expect(status.imap.mailbox).not.toContain(wrong);
      } finally {
        await broken.close();
      }
    });
  },
);
