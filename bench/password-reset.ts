/**
 * Password-reset timing: `npm run bench:password-reset`.
 *
 * Issue 7 item 12: POST /api/v1/identity/password-reset answered unknown addresses faster than known
 * ones (16 vs 25 ms median), which told an outsider which accounts exist. This starts the real app
 * (workers off, so only the request's own work is timed), alternates requests for a known and an
 * unknown address (BENCH_REQUESTS each, default 200, after 20 warm-up rounds), prints both medians
 * and their ratio, and exits 1 when the slower median is more than 1.25 × the faster one.
 */
import { performance } from 'node:perf_hooks';
import { insertUser } from '../src/identity/users.store.ts';
import { describeMachine, printTable, startAttest } from './lib.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARM_UP = 20;
const LIMIT = 1.25;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function main() {
  // Each request from its own address (X-Forwarded-For), so the route's per-IP limit doesn't answer 429.
  const server = await startAttest({ ATTEST_TRUST_PROXY: 'true' });
  let ip = 0;
  try {
    const email = 'known@bench.test';
    await insertUser(server.ctx.database.db, {
      email,
      name: 'Known',
      role: 'employee',
      passwordHash: 'unused',
      locale: 'en',
    });
    const time = async (address: string) => {
      const started = performance.now();
      const res = await fetch(`${server.url}/api/v1/identity/password-reset`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': `10.9.${(++ip >> 8) & 255}.${ip & 255}`,
        },
        body: JSON.stringify({ email: address }),
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`password reset answered ${res.status}`);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < WARM_UP + REQUESTS; i++) {
      const k = await time(email);
      const u = await time(`nobody-${i}@bench.test`);
      if (i >= WARM_UP) {
        known.push(k);
        unknown.push(u);
      }
    }
    const [a, b] = [median(known), median(unknown)];
    const ratio = Math.max(a, b) / Math.min(a, b);
    console.log(describeMachine(process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'));
    printTable(
      ['address', 'requests', 'median ms'],
      [
        ['known', String(known.length), a.toFixed(2)],
        ['unknown', String(unknown.length), b.toFixed(2)],
      ],
    );
    console.log(`ratio ${ratio.toFixed(3)} (limit ${LIMIT})`);
    process.exitCode = ratio > LIMIT ? 1 : 0;
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
