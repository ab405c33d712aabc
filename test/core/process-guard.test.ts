import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs a script in a fresh Node process (tsx loads the TypeScript) and returns its exit and output. */
function runNode(script: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const REJECT_THEN_LIVE = `
  Promise.reject(Object.assign(new Error('Failed query: insert … params: secret-token'), {
    cause: new Error('unsupported Unicode escape sequence'),
  }));
  setTimeout(() => { console.log('still alive'); process.exit(0); }, 300);
`;

describe('the server process and unhandled promise rejections', () => {
  it('is ended by one without the guard (what Node does by default)', () => {
    expect(runNode(REJECT_THEN_LIVE).status).not.toBe(0);
  });

  it('logs it, without a query parameter, and keeps running with the guard', () => {
    const result = runNode(`
      const { keepRunningOnUnhandledRejection } = await import('./src/core/process-guard.ts');
      keepRunningOnUnhandledRejection((message) => console.log('LOGGED ' + message));
      ${REJECT_THEN_LIVE}
    `);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('LOGGED unhandled promise rejection');
    expect(result.stdout).toContain('unsupported Unicode escape sequence');
    expect(result.stdout).not.toContain('secret-token');
    expect(result.stdout).toContain('still alive');
  });

  it('is installed by `attest serve` before anything else starts', async () => {
    const { readFile } = await import('node:fs/promises');
    const server = await readFile(path.join(root, 'src/server.ts'), 'utf8');
    const guard = server.indexOf('keepRunningOnUnhandledRejection(');
    expect(guard).toBeGreaterThan(-1);
    expect(guard).toBeLessThan(server.indexOf('createContext(config'));
  });
});
