/**
 * The public trust center against nginx, on the same bytes: `npm run bench:trust`.
 *
 * Starts Attest in-process (see bench/lib.ts), seeds and publishes a realistic trust center through the
 * admin API, fetches `/en/` as autocannon asks for it (no Accept-Encoding: identity bytes) and, when the
 * site precompresses, with `accept-encoding: gzip`; writes those exact bytes to a temp folder and serves
 * them from nginx (one worker, gzip_static). After checking that both answer 200 with byte-identical
 * bodies, drives each with autocannon and prints requests/s, p50 and p99 latency, and the ratio
 * Attest/nginx against the targets (ratio ≥ 0.5, Attest's p99 < 50 ms). Exits 1 when a target is missed
 * or a response wasn't 2xx, 2 when the bench could not run. BENCH_DURATION_SECONDS shortens the runs.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type autocannon from 'autocannon';
import { escapeHtml } from '../src/core/mail/html.ts';
import { describeLoad, describeMachine, mintAdminToken, printTable, runLoad, startAttest } from './lib.ts';
import { ensureNginx, startNginx } from './nginx/server.ts';
import { seedTrustCenter } from './trust.seed.ts';

const CONNECTIONS = 100;
const PAGE = '/en/';
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 50;

type Fetched = { status: number; headers: http.IncomingHttpHeaders; headerBytes: number; body: Buffer };
type Pair = { name: string; headers: Record<string, string> };
type Row = { server: string; encoding: string; result: autocannon.Result };

/** Seconds per measured run: 20, or BENCH_DURATION_SECONDS (a whole number from 1 to 600). */
function durationSeconds(): number {
  const raw = process.env.BENCH_DURATION_SECONDS;
  if (raw === undefined || raw === '') return 20;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) {
    throw new Error(`BENCH_DURATION_SECONDS must be a whole number of seconds from 1 to 600, not ${raw}`);
  }
  return seconds;
}

/** One GET sending only what autocannon sends (Host, Connection: keep-alive) plus `headers`. Raw body bytes. */
function get(url: string, headers: Record<string, string>): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { connection: 'keep-alive', ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const raw = response.rawHeaders;
        let headerBytes = `HTTP/1.1 ${response.statusCode} ${response.statusMessage}\r\n\r\n`.length;
        for (let i = 0; i < raw.length; i += 2) headerBytes += `${raw[i]}: ${raw[i + 1]}\r\n`.length;
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          headerBytes,
          body: Buffer.concat(chunks),
        });
      });
    });
    request.on('error', reject);
  });
}

/** Both servers answer 200 with the same bytes, Content-Type and Content-Encoding: else there's no comparison. */
function checkSame(pair: Pair, attest: Fetched, nginx: Fetched): void {
  const problems: string[] = [];
  if (attest.status !== 200) problems.push(`Attest answered ${attest.status}`);
  if (nginx.status !== 200) problems.push(`nginx answered ${nginx.status}`);
  if (!attest.body.equals(nginx.body)) {
    problems.push(`bodies differ (${attest.body.length} vs ${nginx.body.length} bytes)`);
  }
  for (const header of ['content-type', 'content-encoding']) {
    if (attest.headers[header] !== nginx.headers[header]) {
      problems.push(`${header}: ${attest.headers[header]} (Attest) vs ${nginx.headers[header]} (nginx)`);
    }
  }
  if (!nginx.headers.etag) problems.push('nginx sent no ETag');
  if (problems.length > 0) throw new Error(`GET ${PAGE} (${pair.name}): ${problems.join('; ')}`);
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
  // `on`, not `once`: Ctrl-C reaches this process twice under tsx (from the terminal and relayed by tsx's
  // parent process), and the second must not kill it halfway through cleaning up.
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping nginx and Attest, removing temp folders …`);
    const force = setTimeout(() => process.exit(130), 5_000);
    void cleanUp().finally(() => {
      clearTimeout(force);
      process.exit(130);
    });
  });
}

async function main(): Promise<number> {
  const seconds = durationSeconds();
  const warmup = Math.min(2, Math.max(1, Math.floor(seconds / 5)));
  const nginxBinary = ensureNginx((line) => console.log(line));

  const attest = await startAttest({ ATTEST_PUBLIC_URL: 'https://trust.example.test' });
  cleanups.push(() => attest.close());
  const token = await mintAdminToken(attest.ctx);
  const { mustShow } = await seedTrustCenter(attest.url, token);

  // An empty or broken page would look fast: check the published content is there first.
  for (const [pagePath, texts] of Object.entries(mustShow)) {
    const page = await get(`${attest.url}${pagePath}`, {});
    const html = page.body.toString('utf8');
    const missing = texts.filter((text) => !html.includes(escapeHtml(text)));
    if (page.status !== 200 || missing.length > 0) {
      throw new Error(
        `GET ${pagePath} answered ${page.status}; missing from it: ${missing.join(', ') || '-'}`,
      );
    }
  }
  const identity = await get(`${attest.url}${PAGE}`, {});
  const gzipped = await get(`${attest.url}${PAGE}`, { 'accept-encoding': 'gzip' });
  const precompressed =
    gzipped.headers['content-encoding'] === 'gzip' && gunzipSync(gzipped.body).equals(identity.body);

  const temp = mkdtempSync(path.join(os.tmpdir(), 'attest-bench-nginx-'));
  cleanups.push(() => rmSync(temp, { recursive: true, force: true }));
  // nginx's worker runs as an unprivileged user when this runs as root: let it reach the page.
  chmodSync(temp, 0o755);
  const root = path.join(temp, 'www');
  mkdirSync(path.join(root, 'en'), { recursive: true, mode: 0o755 });
  writeFileSync(path.join(root, 'en', 'index.html'), identity.body, { mode: 0o644 });
  if (precompressed) writeFileSync(path.join(root, 'en', 'index.html.gz'), gzipped.body, { mode: 0o644 });

  const nginx = await startNginx(nginxBinary, {
    root,
    workDir: path.join(temp, 'nginx'),
    gzipStatic: precompressed,
  });
  cleanups.push(() => nginx.stop());

  const pairs: Pair[] = [{ name: 'identity', headers: {} }];
  if (precompressed) pairs.push({ name: 'gzip', headers: { 'accept-encoding': 'gzip' } });
  console.log(describeMachine(attest.ctx.database.driver));
  console.log(describeLoad('before'));
  console.log(
    `page: GET ${PAGE}, ${identity.body.length} bytes` +
      `${precompressed ? ` (${gzipped.body.length} gzipped)` : ' (the site sent no gzip: identity only)'}`,
  );
  for (const pair of pairs) {
    const fromAttest = await get(`${attest.url}${PAGE}`, pair.headers);
    const fromNginx = await get(`${nginx.url}${PAGE}`, pair.headers);
    checkSame(pair, fromAttest, fromNginx);
    console.log(
      `  ${pair.name}: same ${fromAttest.body.length} body bytes from both; ` +
        `headers ${fromAttest.headerBytes} bytes (Attest) vs ${fromNginx.headerBytes} (nginx)`,
    );
  }
  console.log(
    `load: autocannon, ${CONNECTIONS} connections, ${seconds} s per run after ${warmup} s warm-up; ` +
      `nginx ${nginx.url} (one worker, pid ${nginx.pid})\n`,
  );

  const rows: Row[] = [];
  for (const pair of pairs) {
    for (const [server, base] of [
      ['Attest', attest.url],
      ['nginx', nginx.url],
    ] as const) {
      const load = { connections: CONNECTIONS, headers: pair.headers };
      await runLoad(`${base}${PAGE}`, { ...load, seconds: warmup });
      rows.push({
        server,
        encoding: pair.name,
        result: await runLoad(`${base}${PAGE}`, { ...load, seconds }),
      });
    }
  }

  printTable(
    ['server', 'encoding', 'req/s (avg)', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
    rows.map(({ server, encoding, result }) => [
      server,
      encoding,
      result.requests.average.toFixed(0),
      result.latency.p50.toFixed(1),
      result.latency.p99.toFixed(1),
      String(result.non2xx),
      String(result.errors + result.timeouts),
    ]),
  );
  console.log('');
  let passed = true;
  for (const pair of pairs) {
    const mine = rows.filter((row) => row.encoding === pair.name);
    const a = mine.find((row) => row.server === 'Attest')?.result;
    const n = mine.find((row) => row.server === 'nginx')?.result;
    if (!a || !n) continue;
    const ratio = a.requests.average / n.requests.average;
    const clean = [a, n].every((r) => r.non2xx === 0 && r.errors === 0 && r.timeouts === 0);
    const ok = ratio >= TARGET_RATIO && a.latency.p99 < TARGET_P99_MS && clean;
    passed &&= ok;
    console.log(
      `${pair.name}: Attest/nginx = ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}), ` +
        `Attest p99 ${a.latency.p99.toFixed(1)} ms (target < ${TARGET_P99_MS} ms)` +
        `${clean ? '' : ', with non-2xx responses or errors'}: ${ok ? 'PASS' : 'FAIL'}`,
    );
  }
  console.log(describeLoad('after'));
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
