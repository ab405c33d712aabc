import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Installation, makeInstallation, runCli } from '../helpers/cli.ts';

const SLOW = 180_000;
const LINK = /^https:\/\/trust\.example\.test\/app\/setup\?token=([A-Za-z0-9_-]{43})\n$/;

describe('attest setup-link', () => {
  let installation: Installation;
  beforeAll(async () => {
    // The server runs elsewhere: links must use its public address, never localhost:3000.
    installation = await makeInstallation({ env: { ATTEST_PUBLIC_URL: 'https://trust.example.test' } });
  });
  afterAll(() => installation.remove());

  it('is listed in --help, which also names PORT and ATTEST_PUBLIC_URL', async () => {
    const run = await runCli(installation, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  setup-link ');
    expect(run.stdout).toMatch(/^\s+PORT\s/m);
    expect(run.stdout).toMatch(/^\s+ATTEST_PUBLIC_URL\s/m);
  });

  it('prints a fresh one-time link on the public URL while there is no owner, then refuses', {
    timeout: SLOW,
  }, async () => {
    const first = await runCli(installation, ['setup-link']);
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(installation, ['setup-link']);
    expect(second.code, second.stderr).toBe(0);
    const [firstToken, secondToken] = [LINK.exec(first.stdout)?.[1], LINK.exec(second.stdout)?.[1]];
    expect(firstToken).toBeDefined();
    expect(secondToken).toBeDefined();
    expect(secondToken).not.toBe(firstToken);

    const owner = await runCli(installation, [
      'user',
      'create',
      '--email',
      'owner@example.test',
      '--name',
      'Owner',
      '--role',
      'owner',
    ]);
    expect(owner.code, owner.stderr).toBe(0);
    const refused = await runCli(installation, ['setup-link']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('already has an owner');
  });
});
