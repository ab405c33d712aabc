/**
 * How fast queued mail leaves: `npm run bench:mail`.
 *
 * Starts the context an `attest serve` process runs (workers on, the production polling interval, a temp
 * data folder with embedded PGlite, or a throw-away database on the server named by DATABASE_URL) with
 * SMTP_URL pointing at an in-process smtp-server. Queues BENCH_MAILS (default 300) mails in one
 * transaction — 199 of every 200 bulk, every 200th an account mail — as a flood of reports would, then
 * counts what the SMTP server accepts until all arrived or BENCH_SECONDS (default 60) passed. Prints
 * messages/s and when the first account mail arrived. Then, as a ceiling, the same number of messages
 * handed straight to the mailer (sealed payload opened, pooled SMTP, 4 at a time) without the queue.
 * Exits 1 when the queue drains below BENCH_TARGET (default 20) msg/s, 2 when the bench could not run.
 */
import '../src/disclosure/register.ts';
import '../src/trust/register.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeContext, createContext, readVersion } from '../src/core/bootstrap.ts';
import { loadConfig } from '../src/core/config/config.ts';
import type { AppContext } from '../src/core/context.ts';
import { generateKey } from '../src/core/crypto/index.ts';
import { openMail, queueMail, sealMail } from '../src/core/mail/mail.jobs.ts';
import { renderMail } from '../src/core/mail/templates.ts';
import { createThrowawayDatabase } from '../test/helpers/database.ts';
import { startSmtpServer } from '../test/helpers/smtp.ts';
import { describeLoad, describeMachine, printTable } from './lib.ts';

const MAILS = Number(process.env.BENCH_MAILS ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const TARGET = Number(process.env.BENCH_TARGET ?? 20);

async function queueFlood(ctx: AppContext): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    for (let i = 0; i < MAILS; i += 1) {
      if (i % 200 === 199) {
        await queueMail(ctx, tx, {
          to: `user-${i}@example.test`,
          template: 'password-reset',
          locale: 'en',
          vars: {
            organizationName: 'Bench',
            link: `https://attest.example.test/app/reset-password?token=bench-${i}`,
            expiresAt: new Date(Date.now() + 3_600_000),
          },
        });
      } else {
        await queueMail(ctx, tx, {
          to: `researcher-${i}@example.test`,
          template: 'disclosure-researcher-receipt',
          locale: 'en',
          vars: {
            organizationName: 'Bench',
            reportNumber: i,
            title: `Finding ${i}`,
            responseDueBy: new Date(Date.now() + 86_400_000),
            timeZone: 'UTC',
            link: `https://attest.example.test/en/security/follow/bench-${i}`,
          },
        });
      }
    }
  });
}

/** msg/s of the mailer alone: what the SMTP server accepts once jobs are fetched fast enough. */
async function mailerCeiling(ctx: AppContext, received: () => number): Promise<number> {
  const before = received();
  const rendered = renderMail('trust-subscription-confirm', 'en', {
    organizationName: 'Bench',
    link: 'https://attest.example.test/en/subscriptions/confirm/x',
  });
  const payloads = Array.from({ length: MAILS }, (_, i) =>
    sealMail(ctx.keyring, { to: `ceiling-${i}@example.test`, ...rendered }),
  );
  const started = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < payloads.length) {
      const payload = payloads[next++];
      if (payload) await ctx.mailer.send(openMail(ctx.keyring, payload));
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  return (received() - before) / ((Date.now() - started) / 1000);
}

async function main(): Promise<number> {
  const smtp = await startSmtpServer();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'attest-bench-mail-'));
  const throwaway = process.env.DATABASE_URL
    ? await createThrowawayDatabase(process.env.DATABASE_URL)
    : undefined;
  const config = loadConfig(
    {
      ATTEST_DATA_DIR: dataDir,
      ATTEST_SECRET_KEY: generateKey(),
      LOG_LEVEL: 'silent',
      SMTP_URL: smtp.url,
      ...(throwaway ? { DATABASE_URL: throwaway.url } : {}),
    },
    readVersion(),
  );
  const ctx = await createContext(config, { workers: true, warn: (message) => console.warn(message) });
  try {
    console.log(describeMachine(ctx.database.driver));
    console.log(describeLoad('before'));
    const queuedAt = Date.now();
    await queueFlood(ctx);
    const started = Date.now();
    let firstAccountMs: number | undefined;
    const deadline = started + SECONDS * 1000;
    while (smtp.messages.length < MAILS && Date.now() < deadline) {
      if (firstAccountMs === undefined && smtp.messages.some((m) => m.subject.includes('password'))) {
        firstAccountMs = Date.now() - started;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const elapsed = (Date.now() - started) / 1000;
    const sent = smtp.messages.length;
    const rate = sent / elapsed;
    const firstIndex = smtp.messages.findIndex((m) => m.subject.includes('password'));
    printTable(
      ['queued', 'sent', 'seconds', 'msg/s', 'first account mail (ms, position)', 'queueing (ms)'],
      [
        [
          String(MAILS),
          String(sent),
          elapsed.toFixed(1),
          rate.toFixed(1),
          firstAccountMs === undefined ? 'not sent' : `${firstAccountMs}, #${firstIndex + 1}`,
          String(started - queuedAt),
        ],
      ],
    );
    const ceiling = await mailerCeiling(ctx, () => smtp.messages.length);
    console.log(`mailer alone (no queue): ${ceiling.toFixed(1)} msg/s`);
    console.log(describeLoad('after'));
    if (rate < TARGET) {
      console.error(`below the target of ${TARGET} msg/s`);
      return 1;
    }
    return 0;
  } finally {
    await closeContext(ctx);
    await smtp.close();
    await throwaway?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
