import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../../src/app.ts';
import { closeContext, createContext } from '../../../../src/core/bootstrap.ts';
import { loadConfig } from '../../../../src/core/config/config.ts';
import type { AppContext } from '../../../../src/core/context.ts';
import { generateKey } from '../../../../src/core/crypto/index.ts';
import { listFailedJobs } from '../../../../src/core/jobs/failed.ts';
import { MAIL_SEND_JOB } from '../../../../src/core/mail/mail.jobs.ts';
import { MAIL_INTAKE_JOB } from '../../../../src/disclosure/channels/mail/mail-intake.process.ts';
import { startMailIntake } from '../../../../src/disclosure/channels/mail/mail-intake.ts';
import { disclosureInboundMail } from '../../../../src/disclosure/tables.ts';
import { loginAs, uniqueIp } from '../../../fixtures/identity.ts';
import { createThrowawayDatabase } from '../../../helpers/database.ts';
import {
  inboundRows,
  newMessageId,
  openReport,
  researcherAddress,
  SECURITY_ADDRESS,
  sendTo,
} from './mail-intake-helpers.ts';

/**
 * "A server restarted with poison jobs queued comes up healthy": a process without workers queues the
 * mail that crashed the server (a NUL in its Subject) and jobs that can only fail (a stored message
 * that no longer opens, a mail job whose payload is not a mail); the next process works them all and
 * stays up: honest mail is processed, the poison ends as dead jobs an admin can see.
 */
describe('a restart with poison jobs queued', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'attest-poison-restart-'));
  const secretKey = generateKey();
  let throwaway: Awaited<ReturnType<typeof createThrowawayDatabase>> | undefined;
  let first: Awaited<ReturnType<typeof start>>;

  async function start(
    workers: boolean,
  ): Promise<{ ctx: AppContext; app: FastifyInstance; close(): Promise<void> }> {
    const config = loadConfig(
      {
        ATTEST_DATA_DIR: dataDir,
        ATTEST_SECRET_KEY: secretKey,
        LOG_LEVEL: 'silent',
        RATE_LIMIT_PER_MINUTE: '100000',
        DISCLOSURE_SMTP_PORT: '0',
        DISCLOSURE_MAIL_ADDRESS: SECURITY_ADDRESS,
        ...(throwaway ? { DATABASE_URL: throwaway.url } : {}),
      },
      '0.0.0-test',
    );
    const ctx = await createContext(config, {
      workers,
      warn: () => undefined,
      jobPollingIntervalSeconds: 0.5,
    });
    const app = await buildApp(ctx);
    await app.ready();
    return {
      ctx,
      app,
      close: async () => {
        await app.close();
        await closeContext(ctx);
      },
    };
  }

  beforeAll(async () => {
    if (process.env.DATABASE_URL) throwaway = await createThrowawayDatabase(process.env.DATABASE_URL);
    first = await start(false);
  });
  afterAll(async () => {
    await throwaway?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('comes up healthy, processes the NUL mail and honest mail, and parks the poison as dead jobs', async () => {
    // 1. Without workers: the crashing mail, twice, and two jobs that can only fail.
    const from = researcherAddress();
    const nulIds = [newMessageId(), newMessageId()];
    const intake = await startMailIntake(first.ctx);
    for (const messageId of nulIds) {
      await sendTo(intake.smtpPort as number, {
        envelope: { from, to: [SECURITY_ADDRESS] },
        raw: [
          `From: <${from}>`,
          `To: ${SECURITY_ADDRESS}`,
          `Message-ID: ${messageId}`,
          'Subject: XSS\u0000in search',
          '',
          'Details.',
        ].join('\r\n'),
      });
    }
    const broken = newMessageId();
    await sendTo(intake.smtpPort as number, { from, subject: 'Sealed', text: 'x', messageId: broken });
    // Its sealed bytes no longer open (as with a lost key): processing throws on every attempt.
    await first.ctx.database.db
      .update(disclosureInboundMail)
      .set({ rawSealed: 'v1.00000000.AAAA.AAAA' })
      .where(eq(disclosureInboundMail.messageId, broken));
    await first.ctx.database.executeSql(
      `update pgboss.job set retry_limit = 1 where name = $1 and data->>'inboundId' =
         (select id::text from disclosure_inbound_mail where message_id = $2)`,
      [MAIL_INTAKE_JOB, broken],
    );
    await first.ctx.jobs.boss.send(MAIL_SEND_JOB, { to: 'x', subject: '' }, { retryLimit: 1 });
    await intake.close();
    await first.close();

    // 2. The next process starts with all of it queued.
    const second = await start(true);
    try {
      const resumed = await startMailIntake(second.ctx);
      const honest = newMessageId();
      await sendTo(resumed.smtpPort as number, {
        from: researcherAddress('honest'),
        subject: 'Open redirect',
        text: 'On /login?next=',
        messageId: honest,
      });
      const dead = async () =>
        (await listFailedJobs(second.ctx.database, { limit: 10, state: 'dead' })).items;
      const deadline = Date.now() + 60_000;
      const ids = [...nulIds, honest];
      const done = async () => {
        const rows = (await Promise.all(ids.map((id) => inboundRows(second.ctx, id)))).flat();
        return rows.length === 3 && rows.every((row) => row.processedAt) && (await dead()).length === 2;
      };
      while (!(await done()) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 250));

      const health = await second.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      const reports = await Promise.all(
        ids.map(async (id) => {
          const [row] = await inboundRows(second.ctx, id);
          return row?.reportId ? (await openReport(second.ctx, row.reportId)).content.title : undefined;
        }),
      );
      // The same message twice makes one report; the second copy is set aside as already recorded.
      expect(reports).toEqual(['XSS\uFFFDin search', 'XSS\uFFFDin search', 'Open redirect']);

      const poison = await dead();
      expect(poison.map((job) => job.queue).sort()).toEqual([MAIL_SEND_JOB, MAIL_INTAKE_JOB].sort());
      expect(poison.every((job) => job.attempts === 2 && job.error.message.length > 0)).toBe(true);

      // An admin sees them in the API, without their payloads.
      const admin = await loginAs(second.app, second.ctx, 'admin', { remoteAddress: uniqueIp() });
      const listed = await second.app.inject({
        method: 'GET',
        url: '/api/v1/jobs/failed?state=dead',
        headers: admin.headers,
        remoteAddress: uniqueIp(),
      });
      expect(listed.statusCode).toBe(200);
      expect(listed.json().items).toHaveLength(2);
      expect(listed.body).not.toContain('"data"');
      // The sweep leaves the dead message to the admin instead of making a new job fail every hour.
      expect(await resumed.sweep(0)).toBe(0);
      await resumed.close();
    } finally {
      await second.close();
    }
  }, 120_000);
});
