import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { chainPendingAudit } from '../../src/audit/index.ts';
import { closeContext, createContext } from '../../src/core/bootstrap.ts';
import { loadConfig } from '../../src/core/config/config.ts';
import type { AppContext } from '../../src/core/context.ts';
import { generateKey } from '../../src/core/crypto/index.ts';
import { openMail } from '../../src/core/mail/mail.jobs.ts';
import { createThrowawayDatabase } from './database.ts';

export type TestApp = { app: FastifyInstance; ctx: AppContext; dataDir: string; close(): Promise<void> };

/**
 * A whole Attest on a fresh database: in-memory PGlite, or a throw-away database on the
 * PostgreSQL server named by DATABASE_URL. Mail goes to the outbox in a temp data folder unless
 * `env.SMTP_URL` is given. Rate limits are raised so suites can make many calls.
 */
export async function buildTestApp(
  options: { env?: Record<string, string>; workers?: boolean } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'attest-test-'));
  const throwaway = process.env.DATABASE_URL
    ? await createThrowawayDatabase(process.env.DATABASE_URL)
    : undefined;
  const config = loadConfig(
    {
      ATTEST_DATA_DIR: dataDir,
      ATTEST_SECRET_KEY: generateKey(),
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '100000',
      ...(throwaway ? { DATABASE_URL: throwaway.url } : {}),
      ...options.env,
    },
    '0.0.0-test',
  );
  const ctx = await createContext(config, {
    workers: options.workers ?? false,
    warn: () => undefined,
    dataDirForDatabase: throwaway ? undefined : 'memory://',
    jobPollingIntervalSeconds: 0.5,
  });
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    dataDir,
    close: async () => {
      await app.close();
      await closeContext(ctx);
      await throwaway?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type QueuedMail = { to: string; subject: string; text: string; html: string };

/**
 * Mail queued through pg-boss (job `core.mail-send`), oldest first, optionally only to one address.
 * Reads the jobs table and opens the sealed payloads, so it works with `workers: false`, where
 * nothing is sent.
 */
export async function queuedMails(ctx: AppContext, to?: string): Promise<QueuedMail[]> {
  const { rows } = await ctx.database.executeSql(
    "select data from pgboss.job where name = 'core.mail-send' order by created_on, id",
    [],
  );
  const mails = (rows as { data: { sealed: string } }[]).map(
    (row) => openMail(ctx.keyring, row.data) as QueuedMail,
  );
  return to === undefined ? mails : mails.filter((mail) => mail.to === to);
}

export type AuditEntry = {
  action: string;
  actorType: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
};

/** Audit entries with this action, oldest first. */
export async function auditEntries(ctx: AppContext, action: string): Promise<AuditEntry[]> {
  await chainPendingAudit(ctx.database.db);
  const { rows } = await ctx.database.executeSql(
    `select action, actor_type as "actorType", actor_id as "actorId", target_type as "targetType",
       target_id as "targetId", details from audit_log where action = $1 order by seq`,
    [action],
  );
  return rows as AuditEntry[];
}
