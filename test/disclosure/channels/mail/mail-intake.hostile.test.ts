import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFailedJobs } from '../../../../src/core/jobs/failed.ts';
import { MAIL_INTAKE_JOB } from '../../../../src/disclosure/channels/mail/mail-intake.process.ts';
import { type MailIntake, startMailIntake } from '../../../../src/disclosure/channels/mail/mail-intake.ts';
import { disclosureInboundMail } from '../../../../src/disclosure/tables.ts';
import { buildTestApp, type TestApp } from '../../../helpers/app.ts';
import {
  inboundRows,
  newMessageId,
  openReport,
  researcherAddress,
  SECURITY_ADDRESS,
  sendTo,
} from './mail-intake-helpers.ts';

const MAIL_ENV = { DISCLOSURE_SMTP_PORT: '0', DISCLOSURE_MAIL_ADDRESS: SECURITY_ADDRESS };
const NUL = '\u0000';

/** A raw message from headers and a body, CRLF line ends, as bytes (so invalid UTF-8 survives). */
function raw(headers: string[], body: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body)]);
}

function base(i: number, from: string): string[] {
  return [`From: Hostile ${i} <${from}>`, `To: ${SECURITY_ADDRESS}`, `Message-ID: ${newMessageId()}`];
}

/** Ten kinds of hostile mail, ten of each: what a fuzzer or a broken mail server sends. */
const kinds: ((i: number, from: string) => Buffer)[] = [
  // NUL in the Subject (the message that crashed the server), in the body, in the sender's name.
  (i, from) => raw([...base(i, from), `Subject: XSS${NUL}in profile ${i}`], `Body ${i}`),
  (i, from) => raw([...base(i, from), `Subject: NUL body ${i}`], `Steps:${NUL}1. open${NUL.repeat(i)}`),
  (i, from) =>
    raw([`From: "Evil${NUL}Name" <${from}>`, `To: ${SECURITY_ADDRESS}`, `Subject: name ${i}`], `Body ${i}`),
  // NUL in a Message-ID and in an encoded-word Subject; an attachment named with a NUL.
  (i, from) =>
    raw(
      [`From: <${from}>`, `Message-ID: <nul${NUL}${i}-${randomBytes(4).toString('hex')}@x>`, 'Subject: id'],
      'x',
    ),
  (i, from) =>
    raw(
      [...base(i, from), `Subject: =?utf-8?B?${Buffer.from(`enc${NUL}oded ${i}`).toString('base64')}?=`],
      'x',
    ),
  (i, from) =>
    raw(
      [...base(i, from), 'Subject: file', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
      [
        '--b',
        'Content-Type: text/plain',
        '',
        `See file ${i}`,
        '--b',
        `Content-Type: text/plain; name="po${NUL}c.txt"`,
        `Content-Disposition: attachment; filename="po${NUL}c${i}.txt"`,
        '',
        `data${NUL}`,
        '--b--',
        '',
      ].join('\r\n'),
    ),
  // Malformed MIME: no boundary, an unterminated multipart, a hundred nested multiparts.
  (i, from) =>
    raw(
      [...base(i, from), 'Subject: mime', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed'],
      `--\r\n${i}`,
    ),
  (i, from) => {
    const depth = 20 + i * 10;
    const open = Array.from(
      { length: depth },
      (_, d) => `--b${d}\r\nContent-Type: multipart/mixed; boundary="b${d + 1}"\r\n\r\n`,
    ).join('');
    return raw(
      [
        ...base(i, from),
        'Subject: nested',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b0"',
      ],
      `${open}--b${depth}\r\nContent-Type: text/plain\r\n\r\ndeep ${i}\r\n`,
    );
  },
  // Huge headers: one 64 KB Subject, then 2,000 headers.
  (i, from) => raw([...base(i, from), `Subject: ${'A'.repeat(64 * 1024)} ${i}`], 'big subject'),
  // Bad encodings: invalid UTF-8, an unknown charset, broken base64 and quoted-printable, a UTF-16
  // encoded-word holding an unpaired surrogate (jsonb refuses its escape), many headers.
  (i, from) =>
    raw(
      [
        ...base(i, from),
        'Subject: =?utf-16le?B?ANg=?= =?x-unknown?Q?=FF=FE?= =?utf-8?B?@@@?=',
        'MIME-Version: 1.0',
        `Content-Type: text/plain; charset=${i % 2 ? 'x-nonsense' : 'utf-8'}`,
        `Content-Transfer-Encoding: ${i % 3 ? 'base64' : 'quoted-printable'}`,
        ...Array.from({ length: 2000 }, (_, h) => `X-Filler-${h}: ${h}`),
      ],
      Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x3d, 0x3d, 0x3d, 0xed, 0xa0, 0x80, 0x0d, 0x0a]),
    ),
];

describe('the SMTP listener and mail intake under hostile mail', () => {
  let t: TestApp;
  let intake: MailIntake;

  beforeAll(async () => {
    // Workers run, as in the server: a job that ends the process would end this test run.
    t = await buildTestApp({ env: MAIL_ENV, workers: true });
    intake = await startMailIntake(t.ctx);
  });
  afterAll(async () => {
    await intake?.close();
    await t?.close();
  });

  it('takes 100 hostile messages, stores and processes every one, and keeps processing honest mail', async () => {
    const port = intake.smtpPort as number;
    const answers: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const from = researcherAddress('hostile');
      const message = kinds[i % kinds.length]?.(Math.floor(i / kinds.length), from) as Buffer;
      const info = await sendTo(port, { envelope: { from, to: [SECURITY_ADDRESS] }, raw: message });
      answers.push(info.response);
    }
    // Every message was accepted once stored: none refused, so no sender retries it forever.
    expect(answers.filter((answer) => !answer.startsWith('250'))).toEqual([]);

    const honestId = newMessageId();
    const honest = researcherAddress('honest');
    await sendTo(port, {
      from: honest,
      subject: 'SQL injection in search',
      text: 'The q parameter is injectable.',
      messageId: honestId,
    });

    // Every stored message is processed: a report, or set aside with a reason; none left failing.
    const deadline = Date.now() + 120_000;
    let rows = await t.ctx.database.db.select().from(disclosureInboundMail);
    while (rows.some((row) => !row.processedAt) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      rows = await t.ctx.database.db.select().from(disclosureInboundMail);
    }
    expect(rows).toHaveLength(101);
    expect(rows.filter((row) => !row.processedAt)).toEqual([]);
    expect((await listFailedJobs(t.ctx.database, { limit: 100, queue: MAIL_INTAKE_JOB })).items).toEqual([]);

    const [row] = await inboundRows(t.ctx, honestId);
    const report = await openReport(t.ctx, row?.reportId as string);
    expect(report.content.title).toBe('SQL injection in search');
    expect(report.reporter.email).toBe(honest);

    // The NUL reached the report as U+FFFD, readable, not refused.
    const nulRow = rows.find((r) => r.reportId && r.id !== row?.id);
    expect(nulRow).toBeDefined();
    const titles = await Promise.all(
      rows
        .filter((r) => r.reportId)
        .slice(0, 10)
        .map(async (r) => (await openReport(t.ctx, r.reportId as string)).content.title),
    );
    expect(titles.some((title) => title.startsWith('XSS\uFFFDin profile'))).toBe(true);

    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  }, 240_000);
});
