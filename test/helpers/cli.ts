import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeContext, createContext } from '../../src/core/bootstrap.ts';
import { loadConfig } from '../../src/core/config/config.ts';
import type { AppContext } from '../../src/core/context.ts';
import { generateKey } from '../../src/core/crypto/index.ts';
import { createThrowawayDatabase } from './database.ts';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const onPostgres = Boolean(process.env.DATABASE_URL);

export type Run = { code: number | null; stdout: string; stderr: string };

/** An Attest installation for the CLI: a temp data folder, its own key, and on PostgreSQL its own database. */
export type Installation = { env: Record<string, string>; dataDir: string; remove(): Promise<void> };

export async function makeInstallation(
  options: { env?: Record<string, string> } = {},
): Promise<Installation> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'attest-cli-'));
  const throwaway = onPostgres
    ? await createThrowawayDatabase(process.env.DATABASE_URL as string)
    : undefined;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dataDir,
    ATTEST_DATA_DIR: dataDir,
    ATTEST_SECRET_KEY: generateKey(),
    LOG_LEVEL: 'silent',
    ...(throwaway ? { DATABASE_URL: throwaway.url } : {}),
    ...options.env,
  };
  return {
    env,
    dataDir,
    remove: async () => {
      await throwaway?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The real CLI in a child process, as an operator runs it. */
export function runCli(
  installation: Installation,
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/attest.js'), ...args], {
      cwd: root,
      env: { ...installation.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** Opens the installation in this process (the CLI has exited, so PGlite's folder is free). */
export async function withInstallation<T>(
  installation: Installation,
  use: (ctx: AppContext) => Promise<T>,
): Promise<T> {
  const ctx = await createContext(loadConfig(installation.env, '0.0.0-test'), {
    workers: false,
    warn: () => undefined,
  });
  try {
    return await use(ctx);
  } finally {
    await closeContext(ctx);
  }
}
