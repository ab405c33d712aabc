import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAuditChainer } from '../audit/index.ts';
import { type Config, loadConfig } from './config/config.ts';
import type { AppContext } from './context.ts';
import { loadKeyring } from './crypto/index.ts';
import { migrateDatabase, openDatabase } from './db/index.ts';
import { createFileStore } from './files/index.ts';
import { startJobs } from './jobs/index.ts';
import { createMailer, resealOutbox } from './mail/index.ts';
import { mailSendJob, sealLegacyMailJobs } from './mail/mail.jobs.ts';
import { loadStoredPublicUrl } from './settings/organization.ts';

const packageJson = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');

export function readVersion(): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

export type ContextOptions = {
  /** Run job workers here (the server does; one-shot CLI commands only enqueue). */
  workers: boolean;
  warn?: (message: string) => void;
  /** Overrides for tests: an in-memory database, a fast job poll. */
  dataDirForDatabase?: string;
  jobPollingIntervalSeconds?: number;
};

/** Everything a running Attest needs, from a validated config: keyring, migrated database, mailer, jobs. */
export async function createContext(config: Config, options: ContextOptions): Promise<AppContext> {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const keyring = loadKeyring({
    secretKey: config.secretKey,
    previousKeys: config.previousSecretKeys,
    dataDir: config.dataDir,
    onGenerated: (file) =>
      warn(
        `Generated the data-encryption key at ${file}. Back it up: without it encrypted data cannot be read.`,
      ),
  });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: options.dataDirForDatabase ?? config.dataDir,
    embedded: config.embeddedDatabase,
  });
  try {
    await migrateDatabase(database);
    const outboxDir = path.join(config.dataDir, 'outbox');
    const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir, keyring });
    // An outbox written before its files were sealed is sealed now, so no link stays readable on disk.
    const { resealed } = await resealOutbox(outboxDir, keyring);
    if (resealed > 0) warn(`Sealed ${resealed} outbox message(s) written before outbox encryption.`);
    const jobs = await startJobs(database, {
      onError: (error) => warn(`job error: ${error.message}`),
      pollingIntervalSeconds: options.jobPollingIntervalSeconds,
      workers: options.workers && config.runJobs,
    });
    const legacyMail = await sealLegacyMailJobs({ database, keyring });
    if (legacyMail > 0) warn(`Sealed ${legacyMail} mail job(s) queued in clear by an older version.`);
    const definitions = [mailSendJob(mailer, keyring)];
    // Domains define their own job types when the app is built (see Jobs.define).
    await jobs.define(definitions);
    const files = await createFileStore(config, database);
    const auditChainer = startAuditChainer(database.db, {
      onError: (error) =>
        warn(`audit chainer error: ${error instanceof Error ? error.message : String(error)}`),
    });
    const ctx: AppContext = { config, database, keyring, mailer, jobs, files, auditChainer, warn };
    await loadStoredPublicUrl(ctx);
    return ctx;
  } catch (error) {
    await database.close();
    throw error;
  }
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.jobs.stop();
  await ctx.auditChainer?.stop();
  ctx.mailer.close();
  await ctx.database.close();
}

export function loadConfigFromEnv(): Config {
  return loadConfig(process.env, readVersion());
}
