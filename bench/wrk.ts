/**
 * wrk as the load generator of the benches: a separate process (C, its own thread), so the server under
 * test never shares an event loop or a core's scheduling quantum with the client's JavaScript.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export const WRK = process.env.WRK_PATH ?? '/usr/bin/wrk';

export type WrkLoad = { connections: number; seconds: number; headers?: Record<string, string> };
export type WrkResult = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Responses with a status of 400 or more (wrk counts "non-2xx or 3xx"). */
  non2xx: number;
  /** Connect, read, write errors and timeouts. */
  socketErrors: number;
};

export function ensureWrk(): string {
  try {
    accessSync(WRK, constants.X_OK);
    return WRK;
  } catch {
    throw new Error(`wrk is not at ${WRK}: install it (apt-get install -y wrk) or set WRK_PATH`);
  }
}

function milliseconds(value: string, unit: string): number {
  const number = Number(value);
  if (unit === 'us') return number / 1000;
  if (unit === 's') return number * 1000;
  if (unit === 'm') return number * 60_000;
  return number;
}

/** Reads wrk's --latency report. Throws when a figure it must print is missing. */
export function parseWrk(output: string): WrkResult {
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const total = /(\d+) requests in/.exec(output);
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
    if (!match?.[1] || !match[2]) throw new Error(`wrk printed no ${p}th percentile:\n${output}`);
    return milliseconds(match[1], match[2]);
  };
  if (!rate?.[1] || !total?.[1]) throw new Error(`wrk printed no request rate:\n${output}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requestsPerSecond: Number(rate[1]),
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    requests: Number(total[1]),
    non2xx: non2xx?.[1] ? Number(non2xx[1]) : 0,
    socketErrors: socket ? socket.slice(1).reduce((sum, count) => sum + Number(count), 0) : 0,
  };
}

/** One wrk run: one thread, `connections` keep-alive connections, `seconds` long. */
export function runWrk(url: string, load: WrkLoad): Promise<WrkResult> {
  const args = ['-t1', `-c${load.connections}`, `-d${load.seconds}s`, '--latency', '--timeout', '10s'];
  for (const [name, value] of Object.entries(load.headers ?? {})) args.push('-H', `${name}: ${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(ensureWrk(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`wrk exited with ${code}:\n${output}`));
      else {
        try {
          resolve(parseWrk(output));
        } catch (error) {
          reject(error);
        }
      }
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The median run of several (by requests/s), with p99 and errors summed up honestly across all runs. */
export function summarize(runs: WrkResult[]): WrkResult {
  return {
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    socketErrors: runs.reduce((sum, run) => sum + run.socketErrors, 0),
  };
}

/** Seconds per measured run: `fallback`, or BENCH_DURATION_SECONDS (a whole number from 1 to 600). */
export function durationSeconds(fallback: number): number {
  const raw = process.env.BENCH_DURATION_SECONDS;
  if (raw === undefined || raw === '') return fallback;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) {
    throw new Error(`BENCH_DURATION_SECONDS must be a whole number of seconds from 1 to 600, not ${raw}`);
  }
  return seconds;
}
