import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/crypto/index.ts';
import { passwordResets, users } from '../../src/identity/tables.ts';
import {
  login,
  type MadeUser,
  makeUser,
  runPasswordResetJobs,
  tokenInMail,
  uniqueIp,
} from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../helpers/app.ts';

const RESET = '/api/v1/identity/password-reset';
const NEW_PASSWORD = 'a brand new passphrase';

describe('password reset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  /** Asks for a link, then does the queued work the server's worker would do. */
  const request = async (email: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: RESET,
      remoteAddress: uniqueIp(),
      payload: { email },
    });
    await runPasswordResetJobs(t.ctx);
    return res;
  };
  const complete = (token: string, password = NEW_PASSWORD) =>
    t.app.inject({
      method: 'POST',
      url: `${RESET}/complete`,
      remoteAddress: uniqueIp(),
      payload: { token, password },
    });

  /** Requests a reset for the user and returns the token from the mail it queued. */
  async function resetToken(made: MadeUser): Promise<string> {
    expect((await request(made.user.email)).statusCode).toBe(202);
    const mails = await queuedMails(t.ctx, made.user.email);
    return tokenInMail(mails.at(-1)?.text ?? '');
  }

  it('answers 202 for an unknown e-mail and queues nothing', async () => {
    const email = `nobody-${Date.now()}@example.test`;
    const before = (await queuedMails(t.ctx)).length;
    const res = await request(email);
    expect(res.statusCode).toBe(202);
    expect(await queuedMails(t.ctx)).toHaveLength(before);
    expect(await auditEntries(t.ctx, 'identity.password-reset.requested')).toContainEqual(
      expect.objectContaining({ details: { email, known: false } }),
    );
  });

  it('answers a known e-mail the same way and mails it a one-hour link', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const res = await request(made.user.email);
    const unknown = await request(`nobody-${Date.now()}@example.test`);
    expect(res.statusCode).toBe(202);
    expect([res.statusCode, res.headers['content-type'], res.body]).toEqual([
      unknown.statusCode,
      unknown.headers['content-type'],
      unknown.body,
    ]);
    const mails = await queuedMails(t.ctx, made.user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain(`${t.ctx.config.publicUrl}/app/reset-password?token=`);
    const token = tokenInMail(mails[0]?.text ?? '');
    const [row] = await t.ctx.database.db
      .select()
      .from(passwordResets)
      .where(eq(passwordResets.tokenHash, sha256Hex(token)));
    expect(row?.userId).toBe(made.user.id);
    const ttlMs = (row?.expiresAt.getTime() ?? 0) - Date.now();
    expect(ttlMs).toBeGreaterThan(59 * 60_000);
    expect(ttlMs).toBeLessThanOrEqual(60 * 60_000);
  });

  it('queues nothing for a disabled account', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    await t.ctx.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, made.user.id));
    expect((await request(made.user.email)).statusCode).toBe(202);
    expect(await queuedMails(t.ctx, made.user.email)).toEqual([]);
  });

  it('sets the new password with the link, ends every session and audits it', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const session = await login(t.app, made, { remoteAddress: uniqueIp() });
    const token = await resetToken(made);
    const res = await complete(token);
    expect(res.statusCode).toBe(204);
    const old = await t.app.inject({
      method: 'GET',
      url: '/api/v1/identity/session',
      headers: { cookie: session.cookie },
    });
    expect(old.statusCode).toBe(401);
    await expect(login(t.app, made, { remoteAddress: uniqueIp() })).rejects.toThrow(/401/);
    expect(
      (await login(t.app, { ...made, password: NEW_PASSWORD }, { remoteAddress: uniqueIp() })).cookie,
    ).toMatch(/^attest_session=/);
    expect(await auditEntries(t.ctx, 'identity.password.reset')).toContainEqual(
      expect.objectContaining({ targetId: made.user.id }),
    );
    // A notice that the password changed follows the reset link.
    expect(await queuedMails(t.ctx, made.user.email)).toHaveLength(2);
  });

  it('works once: the same link again is 404 reset-token-invalid', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const token = await resetToken(made);
    expect((await complete(token)).statusCode).toBe(204);
    const again = await complete(token, 'yet another passphrase');
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('reset-token-invalid');
  });

  it('spends every outstanding link of the account when one of them is used', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const older = await resetToken(made);
    const newer = await resetToken(made);
    expect((await complete(newer)).statusCode).toBe(204);
    const res = await complete(older, 'an attacker passphrase');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('reset-token-invalid');
  });

  it('refuses an expired link with 404 reset-token-invalid and keeps the old password', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const token = await resetToken(made);
    await t.ctx.database.db
      .update(passwordResets)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResets.tokenHash, sha256Hex(token)));
    const res = await complete(token);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('reset-token-invalid');
    expect((await login(t.app, made, { remoteAddress: uniqueIp() })).cookie).toMatch(/^attest_session=/);
  });

  it('refuses a made-up link with 404 reset-token-invalid', async () => {
    const res = await complete('q'.repeat(43));
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('reset-token-invalid');
  });

  it('refuses a new password under 12 characters (422 pointing at /password), keeping the link usable', async () => {
    const made = await makeUser(t.ctx, { role: 'employee' });
    const token = await resetToken(made);
    const res = await complete(token, 'short');
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ pointer: '/password' })]);
    expect((await complete(token)).statusCode).toBe(204);
  });

  it('refuses a malformed e-mail (422)', async () => {
    const res = await request('not an e-mail');
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ pointer: '/email' })]);
  });
});
