import '../../src/disclosure/register.ts';
import '../../src/trust/register.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, loadKeyring } from '../../src/core/crypto/index.ts';
import {
  createMailer,
  isOutboxId,
  listOutbox,
  readOutboxItem,
  readOutboxRaw,
  renderMail,
  resealOutbox,
} from '../../src/core/mail/index.ts';

const keyring = loadKeyring({ secretKey: generateKey(), dataDir: '/nonexistent-unused' });

type Received = { raw: string; mailFrom: string; rcptTo: string[]; user?: string; password?: string };

// --- Minimal MIME reading (mailparser is not a dependency) -------------------------------

/** Splits a message or MIME part into unfolded, lower-cased headers and the body. */
function splitMessage(raw: string): { headers: Map<string, string>; body: string } {
  const boundary = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, boundary).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(boundary + 4) };
}

/** Decodes RFC 2047 encoded words; adjacent words are joined before UTF-8 decoding. */
function decodeHeader(value: string): string {
  const joined = value.replace(/\?=\s+=\?/g, '?==?');
  return joined.replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)+/g, (run) => {
    const bytes = [...run.matchAll(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g)].map(([, encoding, text = '']) =>
      encoding?.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
    return Buffer.concat(bytes).toString('utf8');
  });
}

function decodeQuotedPrintable(text: string): Buffer {
  const unwrapped = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unwrapped.length; i++) {
    const hex = unwrapped.slice(i + 1, i + 3);
    if (unwrapped[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(unwrapped[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** The decoded bodies of a (possibly multipart/alternative) message, by content type. */
function bodies(raw: string): Map<string, string> {
  const { headers, body } = splitMessage(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  if (boundary === undefined) {
    const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
    const decoded =
      encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : encoding === 'base64'
          ? Buffer.from(body, 'base64')
          : Buffer.from(body, 'utf8');
    return new Map([[type.split(';')[0]?.trim() ?? '', decoded.toString('utf8')]]);
  }
  // The CRLF before each delimiter belongs to the delimiter (RFC 2046), not to the part.
  const parts = `\r\n${body}`.split(`\r\n--${boundary}`).slice(1, -1);
  return new Map(parts.flatMap((part) => [...bodies(part.replace(/^\r\n/, ''))]));
}

// --- SMTP ------------------------------------------------------------------------------

describe('SMTP mode', () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, session, callback) {
        session.user = `${auth.username}\u0000${auth.password}`;
        callback(null, { user: session.user });
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const [user, password] = typeof session.user === 'string' ? session.user.split('\u0000') : [];
          received.push({
            raw: Buffer.concat(chunks).toString('utf8'),
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
            user,
            password,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  afterEach(() => {
    received.length = 0;
  });

  it('delivers a localized invitation that decodes to the Spanish subject and link', async () => {
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'Attest <attest@example.test>',
      outboxDir: '/nonexistent-unused',
      keyring,
    });
    expect(mailer.mode).toBe('smtp');
    await mailer.verify();

    const link = 'https://attest.example.test/invitations/accept?token=abc_DEF-123';
    const rendered = renderMail('invitation', 'es', {
      organizationName: 'Compañía Ñandú',
      inviterName: 'José Álvarez',
      role: 'admin',
      link,
      expiresAt: new Date('2025-03-05T14:30:00Z'),
    });
    const { messageId } = await mailer.send({
      to: 'maria@example.test',
      ...rendered,
      headers: { 'X-Attest-Template': 'invitation' },
    });
    mailer.close();

    expect(received).toHaveLength(1);
    const message = received[0] as Received;
    expect(message.rcptTo).toEqual(['maria@example.test']);
    expect(message.mailFrom).toBe('attest@example.test');

    const { headers } = splitMessage(message.raw);
    expect(decodeHeader(headers.get('subject') ?? '')).toBe(
      'José Álvarez te ha invitado a unirte a Compañía Ñandú',
    );
    expect(headers.get('to')).toBe('maria@example.test');
    expect(headers.get('message-id')).toBe(messageId);
    expect(headers.get('x-attest-template')).toBe('invitation');

    const parts = bodies(message.raw);
    expect(parts.get('text/plain')).toBe(rendered.text.replace(/\n/g, '\r\n'));
    expect(parts.get('text/plain')).toContain(link);
    expect(parts.get('text/plain')).toContain('Esta invitación caduca el 5 de marzo de 2025');
    expect(parts.get('text/html')).toContain('<html lang="es"');
    expect(parts.get('text/html')).toContain(`href="${link}"`);
  });

  it('authenticates with percent-decoded credentials from the URL', async () => {
    const mailer = createMailer({
      smtpUrl: `smtp://mailer%40example.test:p%40ss%3Aw0rd@127.0.0.1:${port}`,
      from: 'attest@example.test',
      outboxDir: '/nonexistent-unused',
      keyring,
    });
    await mailer.send({ to: 'a@example.test, b@example.test', subject: 'Hi', text: 'Plain ASCII.' });
    mailer.close();

    expect(received[0]?.user).toBe('mailer@example.test');
    expect(received[0]?.password).toBe('p@ss:w0rd');
    expect(received[0]?.rcptTo).toEqual(['a@example.test', 'b@example.test']);
  });

  it('rejects non-SMTP URLs without echoing credentials', () => {
    const create = (smtpUrl: string) => () =>
      createMailer({ smtpUrl, from: 'a@b.test', outboxDir: '/x', keyring });
    expect(create('https://user:hunter2@mail.example.test')).toThrow(/smtp:\/\/ or smtps:\/\//);
    expect(create('https://user:hunter2@mail.example.test')).not.toThrow(/hunter2/);
    expect(create('not a url hunter2')).toThrow(TypeError);
    expect(create('not a url hunter2')).not.toThrow(/hunter2/);
  });

  it('surfaces delivery failures', async () => {
    // Port 1 on loopback refuses connections.
    const mailer = createMailer({
      smtpUrl: 'smtp://127.0.0.1:1',
      from: 'a@b.test',
      outboxDir: '/x',
      keyring,
    });
    await expect(mailer.send({ to: 'c@d.test', subject: 's', text: 't' })).rejects.toThrow();
    await expect(mailer.verify()).rejects.toThrow();
    mailer.close();
  });
});

// --- Outbox ----------------------------------------------------------------------------

describe('outbox mode', () => {
  let outboxDir: string;

  beforeAll(() => {
    outboxDir = join(mkdtempSync(join(tmpdir(), 'attest-outbox-')), 'outbox');
  });

  afterAll(() => {
    rmSync(join(outboxDir, '..'), { recursive: true, force: true });
  });

  it('stores messages as .eml plus a JSON sidecar and lists them newest first', async () => {
    const mailer = createMailer({ from: 'Attest <attest@example.test>', outboxDir, keyring });
    expect(mailer.mode).toBe('outbox');
    await expect(listOutbox(outboxDir, keyring, { limit: 10 })).resolves.toEqual({
      items: [],
      nextCursor: null,
    });
    await mailer.verify();

    const rendered = renderMail('password-reset', 'fr', {
      organizationName: 'Société Générale de Test',
      link: 'https://attest.example.test/reset?token=xyz',
      expiresAt: new Date('2025-03-05T14:30:00Z'),
    });
    const first = await mailer.send({ to: 'first@example.test', ...rendered });
    await mailer.send({ to: 'second@example.test', subject: 'Second', text: 'Two' });
    await mailer.send({ to: 'third@example.test', subject: 'Third', text: 'Three' });

    const page1 = await listOutbox(outboxDir, keyring, { limit: 2 });
    expect(page1.items.map((item) => item.to)).toEqual(['third@example.test', 'second@example.test']);
    expect(page1.nextCursor).toBe(page1.items[1]?.id);

    const page2 = await listOutbox(outboxDir, keyring, { limit: 2, cursor: page1.nextCursor ?? undefined });
    expect(page2.nextCursor).toBeNull();
    expect(page2.items).toHaveLength(1);
    const item = page2.items[0];
    expect(item).toMatchObject({
      to: 'first@example.test',
      subject: 'Réinitialisez votre mot de passe Société Générale de Test',
      text: rendered.text,
      messageId: first.messageId,
    });
    expect(isOutboxId(item?.id ?? '')).toBe(true);
    expect(Date.parse(item?.createdAt ?? '')).not.toBeNaN();

    const id = item?.id ?? '';
    // Both files are sealed: the reset link and the address are not readable on disk.
    for (const part of ['eml', 'json']) {
      const stored = readFileSync(join(outboxDir, `${id}.${part}`), 'utf8');
      expect(stored).toMatch(/^v1\./);
      expect(stored).not.toContain('first@example.test');
      expect(stored).not.toContain('token=xyz');
    }
    await expect(readOutboxItem(outboxDir, keyring, id)).resolves.toEqual(item);

    const raw = (await readOutboxRaw(outboxDir, keyring, id))?.toString('utf8') ?? '';
    expect(decodeHeader(splitMessage(raw.replace(/\r?\n/g, '\r\n')).headers.get('subject') ?? '')).toBe(
      rendered.subject,
    );
    expect(raw).toContain(`Message-ID: ${first.messageId}`);
    mailer.close();
  });

  it('validates ids and cursors strictly', async () => {
    for (const bad of ['../x', '..', `../${'2025-03-05T14-30-00-123Z-0123456789abcdef'}`, '', 'a/b']) {
      await expect(readOutboxItem(outboxDir, keyring, bad)).rejects.toThrow(RangeError);
      await expect(readOutboxRaw(outboxDir, keyring, bad)).rejects.toThrow(RangeError);
    }
    await expect(
      readOutboxItem(outboxDir, keyring, '2025-03-05T14-30-00-123Z-0123456789abcdef'),
    ).resolves.toBeUndefined();
    await expect(listOutbox(outboxDir, keyring, { limit: 10, cursor: '../x' })).rejects.toThrow(RangeError);
    await expect(listOutbox(outboxDir, keyring, { limit: 0 })).rejects.toThrow(RangeError);
  });

  it('seals an outbox written before sealing, and reseals under a new key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-outbox-'));
    const id = '2025-03-05T14-30-00-123Z-0123456789abcdef';
    const item = {
      id,
      messageId: '<a@b>',
      to: 'legacy@example.test',
      subject: 'Reset',
      createdAt: '2025-03-05T14:30:00.123Z',
      text: 'https://attest.example.test/app/reset-password?token=legacy-token',
    };
    writeFileSync(join(dir, `${id}.json`), JSON.stringify(item));
    writeFileSync(join(dir, `${id}.eml`), `To: legacy@example.test\r\n\r\n${item.text}\r\n`);
    await expect(listOutbox(dir, keyring, { limit: 10 })).resolves.toEqual({
      items: [item],
      nextCursor: null,
    });

    await expect(resealOutbox(dir, keyring)).resolves.toEqual({ resealed: 1 });
    await expect(resealOutbox(dir, keyring)).resolves.toEqual({ resealed: 0 });
    for (const part of ['eml', 'json']) {
      const stored = readFileSync(join(dir, `${id}.${part}`), 'utf8');
      expect(stored).not.toContain('legacy');
    }
    await expect(listOutbox(dir, keyring, { limit: 10 })).resolves.toEqual({
      items: [item],
      nextCursor: null,
    });

    const rotated = loadKeyring({
      secretKey: generateKey(),
      previousKeys: [keyring.current.key.toString('base64')],
      dataDir: '/nonexistent-unused',
    });
    await expect(resealOutbox(dir, rotated)).resolves.toEqual({ resealed: 1 });
    await expect(readOutboxItem(dir, rotated, id)).resolves.toEqual(item);
    expect((await readOutboxRaw(dir, rotated, id))?.toString('utf8')).toContain('legacy-token');
    await expect(readOutboxItem(dir, keyring, id)).rejects.toThrow();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ignores foreign and temporary files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-outbox-'));
    writeFileSync(join(dir, 'notes.json'), '{}');
    writeFileSync(join(dir, '2025-03-05T14-30-00-123Z-0123456789abcdef.json.1a2b.tmp'), '{');
    await expect(listOutbox(dir, keyring, { limit: 10 })).resolves.toEqual({ items: [], nextCursor: null });
    rmSync(dir, { recursive: true, force: true });
  });
});
