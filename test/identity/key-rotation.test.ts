import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, keyIdOf, loadKeyring } from '../../src/core/crypto/index.ts';
import { resealIdentitySecrets } from '../../src/identity/index.ts';
import { users } from '../../src/identity/tables.ts';
import { makeUser } from '../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

describe('data-encryption key rotation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('re-seals TOTP secrets under the new key while the old key still decrypts, and records the key id', async () => {
    const made = await makeUser(t.ctx, { role: 'admin' });
    const oldKeyring = t.ctx.keyring;
    const [before] = await t.ctx.database.db.select().from(users).where(eq(users.id, made.user.id));
    expect(keyIdOf(before?.totpSecret as string)).toBe(oldKeyring.current.id);

    const oldKey = oldKeyring.keys.get(oldKeyring.current.id)?.toString('base64') as string;
    const rotated = loadKeyring({ secretKey: generateKey(), previousKeys: [oldKey], dataDir: t.dataDir });
    const ctx = { ...t.ctx, keyring: rotated };
    expect(await resealIdentitySecrets(ctx)).toEqual({ resealed: 1 });
    expect(await resealIdentitySecrets(ctx)).toEqual({ resealed: 0 });

    const [after] = await t.ctx.database.db.select().from(users).where(eq(users.id, made.user.id));
    expect(keyIdOf(after?.totpSecret as string)).toBe(rotated.current.id);
    // The new key alone now opens it: the old one can be retired.
    const { openTotpSecret } = await import('../../src/identity/mfa.service.ts');
    const newOnly = {
      ...t.ctx,
      keyring: loadKeyring({
        secretKey: rotated.keys.get(rotated.current.id)?.toString('base64'),
        dataDir: t.dataDir,
      }),
    };
    expect(openTotpSecret(newOnly, after?.totpSecret as string, 'user', made.user.id)).toBe(made.totpSecret);
  });
});
