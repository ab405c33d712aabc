/**
 * HTTP throughput of a whole Attest, in-process: `npm run bench:http`.
 *
 * Starts the real app on an ephemeral loopback port with a temp data folder (embedded PGlite on disk,
 * or a throw-away database on the PostgreSQL server named by DATABASE_URL), inserts 50 users, mints an
 * admin API token, then drives each scenario with wrk (its own process, 1 thread: the load generator
 * never shares the server's event loop) and prints one row per scenario. BENCH_DURATION_SECONDS sets
 * the seconds per scenario (default 10).
 * Exits 1 when any response was not 2xx or a connection failed, so a broken route can't pass as fast.
 */
import { hashPassword } from '../src/identity/index.ts';
import { insertUser } from '../src/identity/users.store.ts';
import { describeMachine, mintAdminToken, printTable, startAttest } from './lib.ts';
import { durationSeconds, ensureWrk, runWrk } from './wrk.ts';

const CONNECTIONS = 50;
const WARMUP_SECONDS = 2;
const USERS = 50;

type Scenario = { name: string; path: string; headers?: Record<string, string> };
type Row = {
  scenario: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
};

async function main(): Promise<number> {
  ensureWrk();
  const seconds = durationSeconds(10);
  const server = await startAttest();
  const { ctx, url: address } = server;
  try {
    const passwordHash = await hashPassword('bench password, never used to sign in');
    for (let i = 0; i < USERS; i += 1) {
      await insertUser(ctx.database.db, {
        email: `bench-${String(i).padStart(3, '0')}@example.test`,
        name: `Bench user ${i}`,
        role: i === 0 ? 'owner' : 'employee',
        passwordHash,
      });
    }
    const token = await mintAdminToken(ctx);
    // A read that returns nothing would look fast: check the page is full before measuring it.
    const probe = await fetch(`${address}/api/v1/identity/users?limit=25`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = (await probe.json()) as { items?: unknown[] };
    if (probe.status !== 200 || page.items?.length !== 25) {
      throw new Error(
        `GET /api/v1/identity/users answered ${probe.status} with ${page.items?.length ?? 'no'} items`,
      );
    }

    const scenarios: Scenario[] = [
      { name: 'GET /healthz', path: '/healthz' },
      {
        name: 'GET /api/v1/identity/users?limit=25',
        path: '/api/v1/identity/users?limit=25',
        headers: { authorization: `Bearer ${token}` },
      },
    ];
    console.log(describeMachine(ctx.database.driver));
    console.log(
      `load: wrk -t1 -c${CONNECTIONS}, ${seconds} s per scenario after ${WARMUP_SECONDS} s warm-up\n`,
    );

    const rows: Row[] = [];
    for (const scenario of scenarios) {
      const load = { connections: CONNECTIONS, headers: scenario.headers };
      await runWrk(`${address}${scenario.path}`, { ...load, seconds: WARMUP_SECONDS });
      const result = await runWrk(`${address}${scenario.path}`, { ...load, seconds });
      rows.push({
        scenario: scenario.name,
        requestsPerSecond: result.requestsPerSecond,
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        non2xx: result.non2xx,
        errors: result.socketErrors,
      });
    }
    printTable(
      ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
      rows.map((row) => [
        row.scenario,
        row.requestsPerSecond.toFixed(0),
        row.p50Ms.toFixed(1),
        row.p99Ms.toFixed(1),
        String(row.non2xx),
        String(row.errors),
      ]),
    );
    const failed = rows.filter((row) => row.non2xx > 0 || row.errors > 0);
    for (const row of failed) {
      console.error(`\n${row.scenario}: ${row.non2xx} non-2xx responses, ${row.errors} connection errors`);
    }
    return failed.length > 0 ? 1 : 0;
  } finally {
    await server.close();
  }
}

process.exitCode = await main();
