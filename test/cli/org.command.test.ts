import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrganization } from '../../src/core/settings/index.ts';
import { auditEntries } from '../helpers/app.ts';
import { type Installation, makeInstallation, runCli, withInstallation } from '../helpers/cli.ts';

const SLOW = 180_000;

describe('attest org set', () => {
  let installation: Installation;
  beforeAll(async () => {
    installation = await makeInstallation({ env: { ATTEST_PUBLIC_URL: 'http://localhost:3000' } });
  });
  afterAll(() => installation.remove());

  it('sets the name, security contact and public URL without a browser, audited as the CLI', {
    timeout: SLOW,
  }, async () => {
    const run = await runCli(installation, [
      'org',
      'set',
      '--name',
      'Acme',
      '--security-contact',
      'Security@Acme.org',
      '--public-url',
      'https://trust.acme.org/',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const shown = await runCli(installation, ['org', 'show']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      name: 'Acme',
      securityContact: 'security@acme.org',
      publicUrl: 'https://trust.acme.org',
    });
    await withInstallation(installation, async (ctx) => {
      // A process started afterwards builds its links on the stored public URL, not the environment's.
      expect(ctx.config.publicUrl).toBe('https://trust.acme.org');
      expect(await getOrganization(ctx, ctx.database.db)).toMatchObject({ name: 'Acme' });
      const [entry] = await auditEntries(ctx, 'settings.updated');
      expect(entry).toMatchObject({
        actorType: 'system',
        details: {
          changes: {
            organizationName: 'Acme',
            securityContact: 'security@acme.org',
            publicUrl: 'https://trust.acme.org',
          },
        },
      });
    });
  });

  it('refuses a placeholder contact, a bad URL or no option at all, as usage errors', {
    timeout: SLOW,
  }, async () => {
    const placeholder = await runCli(installation, [
      'org',
      'set',
      '--security-contact',
      'security@localhost',
    ]);
    expect(placeholder.code).toBe(2);
    expect(placeholder.stderr).toContain('--security-contact');
    const url = await runCli(installation, ['org', 'set', '--public-url', 'ftp://acme.org']);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('--public-url');
    const nothing = await runCli(installation, ['org', 'set']);
    expect(nothing.code).toBe(2);
  });
});
