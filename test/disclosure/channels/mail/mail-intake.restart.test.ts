import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../../src/app.ts';
import { closeContext, createContext } from '../../../../src/core/bootstrap.ts';
import { loadConfig } from '../../../../src/core/config/config.ts';
import type { AppContext } from '../../../../src/core/context.ts';
import { generateKey } from '../../../../src/core/crypto/index.ts';
import { startMailIntake } from '../../../../src/disclosure/channels/mail/mail-intake.ts';
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
 * "A message accepted (SMTP 250) is never lost": the server stops after the 250 but before the job ran,
 * and the next process on the same database processes it. Two apps on one database: PGlite in a folder
 * (opened by one process at a time, like a restart), or the throw-away PostgreSQL database.
 */
describe('a message accepted before a restart is processed after it', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'attest-mail-restart-'));
  const secretKey = generateKey();
  let throwaway: Awaited<ReturnType<typeof createThrowawayDatabase>> | undefined;
  let first: Awaited<ReturnType<typeof start>>;

  async function start(workers: boolean): Promise<{ ctx: AppContext; close(): Promise<void> }> {
    const config = loadConfig(
      {
        ATTEST_DATA_DIR: dataDir,
        ATTEST_SECRET_KEY: secretKey,
        LOG_LEVEL: 'silent',
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
      close: async () => {
        await app.close();
        await closeContext(ctx);
      },
    };
  }

  beforeAll(async () => {
    if (process.env.DATABASE_URL) throwaway = await createThrowawayDatabase(process.env.DATABASE_URL);
    // Migrating a fresh database on disk is the slow part: done here, out of the test's time limit.
    first = await start(false);
  });
  afterAll(async () => {
    await throwaway?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the stored job in the next process, and the sweep re-enqueues a message whose job was lost', async () => {
    const from = researcherAddress();
    const queued = newMessageId();
    const orphan = newMessageId();

    // 1. A process without workers accepts two messages, then stops before any job runs.
    const intake = await startMailIntake(first.ctx);
    await sendTo(intake.smtpPort as number, {
      from,
      subject: 'Stored then restarted',
      text: 'One.',
      messageId: queued,
    });
    await sendTo(intake.smtpPort as number, { from, subject: 'Job lost', text: 'Two.', messageId: orphan });
    const [orphanRow] = await inboundRows(first.ctx, orphan);
    // The second message's job disappears (as after exhausted retries): only the stored row is left.
    await first.ctx.database.executeSql("delete from pgboss.job where data->>'inboundId' = $1", [
      orphanRow?.id,
    ]);
    await intake.close();
    await first.close();

    // 2. The next process works the queued job; its sweep re-enqueues the orphan.
    const second = await start(true);
    try {
      const resumed = await startMailIntake(second.ctx);
      // At least the orphan (the other one too if its queued job has not run yet: processing is idempotent).
      expect(await resumed.sweep(0)).toBeGreaterThanOrEqual(1);
      const deadline = Date.now() + 30_000;
      let rows = [...(await inboundRows(second.ctx, queued)), ...(await inboundRows(second.ctx, orphan))];
      while (rows.some((row) => !row.processedAt) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        rows = [...(await inboundRows(second.ctx, queued)), ...(await inboundRows(second.ctx, orphan))];
      }
      expect(rows.map((row) => row.error)).toEqual([null, null]);
      const titles = await Promise.all(
        rows.map(async (row) => (await openReport(second.ctx, row.reportId as string)).content.title),
      );
      expect(titles).toEqual(['Stored then restarted', 'Job lost']);
      await resumed.close();
    } finally {
      await second.close();
    }
  });
});
