import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, keyIdOf, loadKeyring } from '../../src/core/crypto/index.ts';
import { openTotpSecret } from '../../src/identity/mfa.service.ts';
import { users } from '../../src/identity/tables.ts';
import { makeUser } from '../fixtures/identity.ts';
import { type Installation, makeInstallation, runCli, withInstallation } from '../helpers/cli.ts';

describe('attest keys reseal', () => {
  let installation: Installation;
  beforeAll(async () => {
    installation = await makeInstallation();
  });
  afterAll(() => installation?.remove());

  it('re-encrypts TOTP secrets under the new key, after which the old key can be dropped', async () => {
    const oldKey = installation.env.ATTEST_SECRET_KEY as string;
    const made = await withInstallation(installation, (ctx) => makeUser(ctx, { role: 'admin' }));
    const newKey = generateKey();

    const run = await runCli(installation, ['keys', 'reseal'], {
      env: { ATTEST_SECRET_KEY: newKey, ATTEST_PREVIOUS_SECRET_KEYS: oldKey },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Re-encrypted 1 TOTP secrets, 0 document files and 0 outbox messages.\n');

    const newOnly = { ...installation, env: { ...installation.env, ATTEST_SECRET_KEY: newKey } };
    await withInstallation(newOnly, async (ctx) => {
      const [row] = await ctx.database.db.select().from(users).where(eq(users.id, made.user.id));
      const sealed = row?.totpSecret as string;
      expect(keyIdOf(sealed)).toBe(
        loadKeyring({ secretKey: newKey, dataDir: installation.dataDir }).current.id,
      );
      expect(openTotpSecret(ctx, sealed, 'user', made.user.id)).toBe(made.totpSecret);
    });

    const again = await runCli(installation, ['keys', 'reseal'], { env: { ATTEST_SECRET_KEY: newKey } });
    expect(again.stdout).toBe('Re-encrypted 0 TOTP secrets, 0 document files and 0 outbox messages.\n');
  }, 180_000);
});
