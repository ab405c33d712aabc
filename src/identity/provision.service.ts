import { randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/index.ts';
import type { AppContext } from '../core/context.ts';
import { randomToken, sha256Hex } from '../core/crypto/index.ts';
import type { Actor, RoleName } from '../core/http/actor.ts';
import { hashPassword } from './passwords.ts';
import { identityProblems } from './problems.ts';
import { passwordResets } from './tables.ts';
import { findUserByEmail, insertUser } from './users.store.ts';

/** An operator hands the link over by hand, so it lives longer than a self-service reset's hour. */
export const SET_PASSWORD_LINK_TTL_HOURS = 24;

export type ProvisionedUser = {
  userId: string;
  setPasswordLink: string | undefined;
  linkExpiresAt: Date | undefined;
};

/**
 * Creates a user directly (operators on the server: `attest user create`). Without a password the
 * account gets the Argon2 hash of 32 random bytes nobody keeps, so no password works, and a
 * one-time link, stored like a password reset, with which its owner chooses one: Attest never
 * invents a password. Staff roles enrol TOTP at first sign-in.
 */
export async function provisionUser(
  ctx: AppContext,
  actor: Actor,
  input: { email: string; name: string; role: RoleName; locale: 'en' | 'es' | 'fr'; password?: string },
): Promise<ProvisionedUser> {
  const passwordHash = await hashPassword(input.password ?? randomBytes(32).toString('base64url'));
  const token = input.password === undefined ? randomToken(32) : undefined;
  const linkExpiresAt = token ? new Date(Date.now() + SET_PASSWORD_LINK_TTL_HOURS * 3600_000) : undefined;
  return ctx.database.db.transaction(async (tx) => {
    if (await findUserByEmail(tx, input.email)) throw identityProblems.emailTaken(input.email);
    const user = await insertUser(tx, {
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash,
      locale: input.locale,
    });
    if (token && linkExpiresAt) {
      await tx
        .insert(passwordResets)
        .values({ tokenHash: sha256Hex(token), userId: user.id, expiresAt: linkExpiresAt });
    }
    await recordAudit(tx, actor, {
      action: 'identity.user.created',
      targetType: 'user',
      targetId: user.id,
      details: {
        email: user.email,
        role: user.role,
        password: token ? 'set-password-link' : 'given',
        ...(linkExpiresAt ? { linkExpiresAt: linkExpiresAt.toISOString() } : {}),
      },
    });
    return {
      userId: user.id,
      setPasswordLink: token ? `${ctx.config.publicUrl}/app/reset-password?token=${token}` : undefined,
      linkExpiresAt,
    };
  });
}

/** The id of the user with this e-mail, or undefined. */
export async function findUserIdByEmail(ctx: AppContext, email: string): Promise<string | undefined> {
  return (await findUserByEmail(ctx.database.db, email))?.id;
}
