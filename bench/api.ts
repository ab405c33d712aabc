/**
 * An authenticated API read: `GET /api/v1/identity/users?limit=25` with a Bearer token, on the embedded
 * PGlite default and on PostgreSQL: `npm run bench:api`.
 *
 * For each driver, starts Attest in-process at the shipping log level (info, JSON lines to a file),
 * seeds 60 users and an admin token, and loads it with wrk (a separate process: 1 thread, 50
 * connections), alternating three rounds with a reference in the same process: a minimal Fastify route
 * running the same SQL on the same database and sending the same JSON shape, with no authentication,
 * logging or validation — what the database and Node cost for this answer. Targets: ≥ 1,500 req/s on
 * PostgreSQL and ≥ 800 on PGlite, p99 < 100 ms, 0 non-2xx. PostgreSQL is BENCH_POSTGRES_URL or
 * postgres://postgres@127.0.0.1:5432/postgres (a throw-away database is created there and dropped);
 * BENCH_DRIVERS=pglite or =postgres runs one. Exits 1 when a target is missed, 2 when it could not run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { users } from '../src/identity/tables.ts';
import { describeLoad, describeMachine, mintAdminToken, printTable, startAttest } from './lib.ts';
import { reportSummary, type SummaryRow } from './summary.ts';
import { durationSeconds, runWrk, summarize, type WrkResult } from './wrk.ts';

const CONNECTIONS = 50;
const ROUNDS = 3;
const ROUTE = '/api/v1/identity/users?limit=25';
const TARGETS = { postgres: 1500, pglite: 800 } as const;
const TARGET_P99_MS = 100;
const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LISTED =
  'select id, email, name, role, status, locale, totp_enabled_at, created_at, last_login_at ' +
  'from users order by email limit $1';

type Driver = keyof typeof TARGETS;
type ListedRow = Record<string, unknown> & {
  totp_enabled_at: unknown;
  created_at: unknown;
  last_login_at: unknown;
};
const iso = (value: unknown) => (value === null ? null : new Date(value as string).toISOString());

async function benchDriver(
  driver: Driver,
  seconds: number,
): Promise<{ rows: string[][]; summary: SummaryRow }> {
  const temp = mkdtempSync(path.join(os.tmpdir(), 'attest-bench-api-'));
  const attest = await startAttest(
    { LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    { logFile: path.join(temp, 'attest.log'), databaseUrl: driver === 'postgres' ? POSTGRES : undefined },
  );
  const reference = Fastify({ logger: false });
  try {
    const token = await mintAdminToken(attest.ctx);
    await attest.ctx.database.db.insert(users).values(
      Array.from({ length: 60 }, (_, index) => ({
        email: `person${String(index).padStart(3, '0')}@example.test`,
        name: `Person ${index}`,
        role: ['admin', 'security', 'compliance', 'employee', 'auditor'][index % 5] as string,
        // Never checked here: nobody signs in during this bench.
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$bench$bench',
      })),
    );
    reference.get('/users', async () => {
      const { rows } = await attest.ctx.database.executeSql(LISTED, [26]);
      const listed = rows as ListedRow[];
      const items = listed.slice(0, 25).map((row) => ({
        id: row.id,
        email: row.email,
        name: row.name,
        role: row.role,
        status: row.status,
        locale: row.locale,
        mfaEnrolled: row.totp_enabled_at !== null,
        createdAt: iso(row.created_at),
        lastLoginAt: iso(row.last_login_at),
      }));
      return { items, nextCursor: listed.length > 25 ? (items.at(-1)?.email ?? null) : null };
    });
    const referenceUrl = await reference.listen({ host: '127.0.0.1', port: 0 });
    const headers = { authorization: `Bearer ${token}` };
    const check = await fetch(`${attest.url}${ROUTE}`, { headers });
    const body = (await check.json()) as { items: unknown[] };
    if (check.status !== 200 || body.items.length !== 25) throw new Error(`Attest answered ${check.status}`);
    const referenceBody = (await (await fetch(`${referenceUrl}/users`)).json()) as { items: unknown[] };
    if (JSON.stringify(referenceBody.items[0]) !== JSON.stringify(body.items[0]))
      throw new Error('the reference answers other items than Attest');

    console.log(describeMachine(attest.ctx.database.driver));
    console.log(describeLoad('before'));
    const servers: [string, string, Record<string, string>][] = [
      ['Attest', `${attest.url}${ROUTE}`, headers],
      ['reference', `${referenceUrl}/users`, {}],
    ];
    for (const [, url, h] of servers) await runWrk(url, { connections: CONNECTIONS, seconds: 2, headers: h });
    const runs = new Map<string, WrkResult[]>(servers.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, url, h] of servers) {
        runs.get(name)?.push(await runWrk(url, { connections: CONNECTIONS, seconds, headers: h }));
      }
    }
    console.log(describeLoad('after'));
    const a = summarize(runs.get('Attest') ?? []);
    const r = summarize(runs.get('reference') ?? []);
    const rows = [
      ['Attest', a],
      ['reference', r],
    ].map(([name, result]) => {
      const res = result as WrkResult;
      return [
        `${driver} ${name}`,
        res.requestsPerSecond.toFixed(0),
        res.p50Ms.toFixed(1),
        res.p99Ms.toFixed(1),
        String(res.non2xx + res.socketErrors),
        (runs.get(name as string) ?? []).map((run) => run.requestsPerSecond.toFixed(0)).join(' / '),
      ];
    });
    const non2xx = a.non2xx + a.socketErrors;
    const passed = a.requestsPerSecond >= TARGETS[driver] && a.p99Ms < TARGET_P99_MS && non2xx === 0;
    return {
      rows,
      summary: {
        scenario: `API users read, ${driver}`,
        attest: a.requestsPerSecond,
        reference: r.requestsPerSecond,
        referenceName: 'Fastify + same SQL',
        ratio: a.requestsPerSecond / r.requestsPerSecond,
        p99Ms: a.p99Ms,
        non2xx,
        passed,
      },
    };
  } finally {
    await reference.close();
    await attest.close();
    rmSync(temp, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const seconds = durationSeconds(8);
  const only = process.env.BENCH_DRIVERS;
  const drivers = (['pglite', 'postgres'] as const).filter((driver) => !only || only.includes(driver));
  console.log(
    `load: wrk -t1 -c${CONNECTIONS}, ${seconds} s per run, ${ROUNDS} rounds alternating with the reference`,
  );
  const rows: string[][] = [];
  const summary: SummaryRow[] = [];
  for (const driver of drivers) {
    const result = await benchDriver(driver, seconds);
    rows.push(...result.rows);
    summary.push(result.summary);
  }
  console.log('');
  printTable(['server', 'req/s (median)', 'p50 ms', 'p99 ms', 'non-2xx', 'runs req/s'], rows);
  console.log('');
  for (const row of summary) {
    const target = row.scenario.endsWith('postgres') ? TARGETS.postgres : TARGETS.pglite;
    console.log(
      `${row.scenario}: ${row.attest.toFixed(0)} req/s (target ≥ ${target}), ` +
        `${row.ratio.toFixed(2)} × the reference, p99 ${row.p99Ms.toFixed(1)} ms (target < ${TARGET_P99_MS}), ` +
        `non-2xx ${row.non2xx}: ${row.passed ? 'PASS' : 'FAIL'}`,
    );
  }
  reportSummary(summary);
  return summary.every((row) => row.passed) ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`bench:api could not run: ${(error as Error).message}`);
  process.exitCode = 2;
}
