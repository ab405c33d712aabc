import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config/config.ts';
import type { Keyring } from './crypto/index.ts';
import type { Database } from './db/index.ts';
import type { FileStore } from './files/index.ts';
import type { Jobs } from './jobs/index.ts';
import type { Mailer } from './mail/index.ts';

/** What every domain is built from: one of each, created at start (server, CLI or test). */
export type AppContext = {
  config: Config;
  database: Database;
  keyring: Keyring;
  mailer: Mailer;
  jobs: Jobs;
  /** Files the product serves (trust documents): the database or an object store, shared by every process. */
  files: FileStore;
  /** Links recorded audit entries into the hash chain off the request path (stopped on close). */
  auditChainer?: { stop(): Promise<void> };
  logger?: FastifyServerOptions['logger'];
  /** Operational warnings outside a request (dropped mail, job errors); the server's log. */
  warn?: (message: string) => void;
};
