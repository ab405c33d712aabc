/**
 * The public trust center against a minimal Fastify server sending the same bytes and headers:
 * `npm run bench:trust`.
 *
 * Starts Attest in-process at the shipping log level (info, JSON lines written synchronously to a file)
 * with default settings, seeds and publishes a realistic trust center through the admin API, and
 * fetches `/en/` in identity and gzip. The reference (bench/reference/static-page.ts, its own process)
 * answers those exact bytes with those exact headers; nginx (one worker, gzip_static) is an informative
 * second reference when installed. wrk (a separate process: 1 thread, 100 connections) loads each server
 * in turn, alternating, three rounds; medians are compared. Targets per encoding: Attest ≥ 0.9 × the
 * Fastify reference, Attest's p99 < 20 ms, 0 non-2xx and socket errors. Exits 1 when a target is missed,
 * 2 when the bench could not run. BENCH_DURATION_SECONDS sets the seconds per run (default 8).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { escapeHtml } from '../src/core/mail/html.ts';
import { describeLoad, describeMachine, mintAdminToken, printTable, startAttest } from './lib.ts';
import { ensureNginx, startNginx } from './nginx/server.ts';
import { reportSummary, type SummaryRow } from './summary.ts';
import { seedTrustCenter } from './trust.seed.ts';
import { durationSeconds, runWrk, summarize, type WrkResult } from './wrk.ts';

const CONNECTIONS = 100;
const ROUNDS = 3;
const PAGE = '/en/';
const TARGET_RATIO = 0.9;
const TARGET_P99_MS = 20;
/** Headers that belong to the connection or the moment, not to the answer. */
const HOP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
/** Headers whose value changes with every request (a rate limit's count): compared by presence only. */
const VARYING_HEADERS = new Set(['x-ratelimit-remaining', 'x-ratelimit-reset']);

type Fetched = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
type Encoding = { name: 'identity' | 'gzip'; headers: Record<string, string> };

/** One GET sending only what wrk sends (Host, keep-alive) plus `headers`. Raw body bytes. */
function get(url: string, headers: Record<string, string>): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { connection: 'keep-alive', ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    });
    request.on('error', reject);
  });
}

function answerHeaders(fetched: Fetched): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(fetched.headers)) {
    if (HOP_HEADERS.has(name) || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** A reference answers 200 with Attest's bytes and content headers: else there's no comparison. */
function checkSame(name: string, encoding: Encoding, attest: Fetched, other: Fetched, exactHeaders: boolean) {
  const problems: string[] = [];
  if (other.status !== 200) problems.push(`${name} answered ${other.status}`);
  if (!attest.body.equals(other.body))
    problems.push(`bodies differ (${attest.body.length} vs ${other.body.length})`);
  const names = exactHeaders ? Object.keys(answerHeaders(attest)) : ['content-type', 'content-encoding'];
  for (const header of names) {
    if (
      VARYING_HEADERS.has(header)
        ? !(header in other.headers)
        : attest.headers[header] !== other.headers[header]
    )
      problems.push(`${header} differs`);
  }
  if (problems.length > 0) throw new Error(`GET ${PAGE} (${encoding.name}, ${name}): ${problems.join('; ')}`);
}

const cleanups: (() => Promise<void> | void)[] = [];
async function cleanUp(): Promise<void> {
  for (let step = cleanups.pop(); step; step = cleanups.pop()) {
    try {
      await step();
    } catch (error) {
      console.error(`cleanup: ${(error as Error).message}`);
    }
  }
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    const force = setTimeout(() => process.exit(130), 5_000);
    void cleanUp().finally(() => {
      clearTimeout(force);
      process.exit(130);
    });
  });
}

/** Starts the reference in its own process and resolves with its URL (its first line of output). */
function startReference(specFile: string): Promise<{ url: string; child: ChildProcess }> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reference', 'static-page.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, specFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the reference server exited with ${code}`)));
    child.stdout?.once('data', (chunk: Buffer) => resolve({ url: chunk.toString('utf8').trim(), child }));
  });
}

async function main(): Promise<number> {
  const seconds = durationSeconds(8);
  const temp = mkdtempSync(path.join(os.tmpdir(), 'attest-bench-trust-'));
  cleanups.push(() => rmSync(temp, { recursive: true, force: true }));
  chmodSync(temp, 0o755);
  const logFile = path.join(temp, 'attest.log');

  const attest = await startAttest(
    { ATTEST_PUBLIC_URL: 'https://trust.example.test', LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    { logFile },
  );
  cleanups.push(() => attest.close());
  const token = await mintAdminToken(attest.ctx);
  const { mustShow } = await seedTrustCenter(attest.url, token);
  // An empty or broken page would look fast: check the published content is there first.
  for (const [pagePath, texts] of Object.entries(mustShow)) {
    const page = await get(`${attest.url}${pagePath}`, {});
    const missing = texts.filter((text) => !page.body.toString('utf8').includes(escapeHtml(text)));
    if (page.status !== 200 || missing.length > 0)
      throw new Error(`GET ${pagePath} answered ${page.status}; missing: ${missing.join(', ') || '-'}`);
  }
  const identity = await get(`${attest.url}${PAGE}`, {});
  const gzipped = await get(`${attest.url}${PAGE}`, { 'accept-encoding': 'gzip' });
  if (gzipped.headers['content-encoding'] !== 'gzip' || !gunzipSync(gzipped.body).equals(identity.body))
    throw new Error('Attest sent no gzip of the same page');

  // The reference: the same bytes and headers from a minimal Fastify server.
  writeFileSync(path.join(temp, 'identity.body'), identity.body);
  writeFileSync(path.join(temp, 'gzip.body'), gzipped.body);
  const spec = {
    path: PAGE,
    identity: { file: path.join(temp, 'identity.body'), headers: answerHeaders(identity) },
    gzip: { file: path.join(temp, 'gzip.body'), headers: answerHeaders(gzipped) },
  };
  writeFileSync(path.join(temp, 'spec.json'), JSON.stringify(spec));
  const reference = await startReference(path.join(temp, 'spec.json'));
  cleanups.push(() => {
    reference.child.kill('SIGTERM');
  });

  // nginx, informative: same bytes, its own headers.
  let nginxUrl: string | undefined;
  try {
    const binary = ensureNginx((line) => console.log(line));
    const root = path.join(temp, 'www');
    mkdirSync(path.join(root, 'en'), { recursive: true, mode: 0o755 });
    writeFileSync(path.join(root, 'en', 'index.html'), identity.body, { mode: 0o644 });
    writeFileSync(path.join(root, 'en', 'index.html.gz'), gzipped.body, { mode: 0o644 });
    const nginx = await startNginx(binary, { root, workDir: path.join(temp, 'nginx'), gzipStatic: true });
    cleanups.push(() => nginx.stop());
    nginxUrl = nginx.url;
  } catch (error) {
    console.log(`nginx left out: ${(error as Error).message}`);
  }

  const encodings: Encoding[] = [
    { name: 'identity', headers: {} },
    { name: 'gzip', headers: { 'accept-encoding': 'gzip' } },
  ];
  const servers: [string, string][] = [
    ['Attest', attest.url],
    ['Fastify', reference.url],
    ...(nginxUrl ? [['nginx', nginxUrl] as [string, string]] : []),
  ];
  for (const encoding of encodings) {
    const fromAttest = await get(`${attest.url}${PAGE}`, encoding.headers);
    checkSame('Fastify', encoding, fromAttest, await get(`${reference.url}${PAGE}`, encoding.headers), true);
    if (nginxUrl)
      checkSame('nginx', encoding, fromAttest, await get(`${nginxUrl}${PAGE}`, encoding.headers), false);
  }

  console.log(describeMachine(attest.ctx.database.driver));
  console.log(describeLoad('before'));
  console.log(
    `page: GET ${PAGE}, ${identity.body.length} bytes (${gzipped.body.length} gzipped); Attest at LOG_LEVEL=info\n` +
      `load: wrk -t1 -c${CONNECTIONS}, ${seconds} s per run, ${ROUNDS} rounds alternating ${servers.map(([n]) => n).join(' → ')}\n`,
  );

  const rows: string[][] = [];
  const summary: SummaryRow[] = [];
  let passed = true;
  for (const encoding of encodings) {
    const runs = new Map<string, WrkResult[]>(servers.map(([name]) => [name, []]));
    for (const [, base] of servers)
      await runWrk(`${base}${PAGE}`, { connections: CONNECTIONS, seconds: 2, headers: encoding.headers });
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, base] of servers) {
        const result = await runWrk(`${base}${PAGE}`, {
          connections: CONNECTIONS,
          seconds,
          headers: encoding.headers,
        });
        runs.get(name)?.push(result);
      }
    }
    const medians = new Map([...runs].map(([name, results]) => [name, summarize(results)]));
    const a = medians.get('Attest') as WrkResult;
    const f = medians.get('Fastify') as WrkResult;
    for (const [name, result] of medians) {
      rows.push([
        `${name} ${encoding.name}`,
        result.requestsPerSecond.toFixed(0),
        (a.requestsPerSecond / result.requestsPerSecond).toFixed(2),
        result.p50Ms.toFixed(2),
        result.p99Ms.toFixed(2),
        String(result.non2xx),
        String(result.socketErrors),
        (runs.get(name) ?? []).map((run) => run.requestsPerSecond.toFixed(0)).join(' / '),
      ]);
    }
    const ratio = a.requestsPerSecond / f.requestsPerSecond;
    const clean = a.non2xx + a.socketErrors + f.non2xx + f.socketErrors === 0;
    const ok = ratio >= TARGET_RATIO && a.p99Ms < TARGET_P99_MS && clean;
    passed &&= ok;
    summary.push({
      scenario: `trust page /en/ ${encoding.name}`,
      attest: a.requestsPerSecond,
      reference: f.requestsPerSecond,
      referenceName: 'minimal Fastify',
      ratio,
      p99Ms: a.p99Ms,
      non2xx: a.non2xx + a.socketErrors + f.non2xx + f.socketErrors,
      passed: ok,
    });
  }
  printTable(
    ['server', 'req/s (median)', 'Attest ÷', 'p50 ms', 'p99 ms', 'non-2xx', 'socket err', 'runs req/s'],
    rows,
  );
  console.log('');
  for (const row of summary) {
    console.log(
      `${row.scenario}: Attest/Fastify = ${row.ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}), p99 ` +
        `${row.p99Ms.toFixed(1)} ms (target < ${TARGET_P99_MS}), non-2xx ${row.non2xx}: ${row.passed ? 'PASS' : 'FAIL'}`,
    );
  }
  console.log(describeLoad('after'));
  reportSummary(summary);
  return passed ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`bench:trust could not run: ${(error as Error).message}`);
  process.exitCode = 2;
} finally {
  await cleanUp();
}
