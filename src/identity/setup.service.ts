import { and, eq, gt, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/index.ts';
import type { AppContext } from '../core/context.ts';
import { randomToken, sha256Hex } from '../core/crypto/index.ts';
import type { Queryable } from '../core/db/index.ts';
import type { RequestOrigin } from '../core/http/actor.ts';
import {
  getSettings,
  type OrganizationChanges,
  organizationChanged,
  organizationDefaults,
  updateOrganization,
} from '../core/settings/index.ts';
import { enableTotp, openTotpSecret, sealTotpSecret } from './mfa.service.ts';
import { hashPassword } from './passwords.ts';
import { identityProblems } from './problems.ts';
import { startSession, toSessionActor } from './sessions.service.ts';
import { setupTokens } from './tables.ts';
import { describeTotpEnrolment, generateTotpSecret, verifyTotp } from './totp.ts';
import { countUsers, insertUser } from './users.store.ts';

const SETUP_LINK_TTL_SECONDS = 24 * 3600;

/**
 * While Attest has no user, makes a fresh one-time setup link (older unused links stop working)
 * and returns it; returns undefined once an owner exists. There is no default password anywhere.
 */
export async function issueSetupLink(ctx: AppContext): Promise<string | undefined> {
  const db = ctx.database.db;
  if ((await countUsers(db)) > 0) return undefined;
  const token = randomToken(32);
  await db.transaction(async (tx) => {
    await tx.delete(setupTokens).where(isNull(setupTokens.usedAt));
    await tx.insert(setupTokens).values({
      tokenHash: sha256Hex(token),
      expiresAt: new Date(Date.now() + SETUP_LINK_TTL_SECONDS * 1000),
    });
  });
  return `${ctx.config.publicUrl}/app/setup?token=${token}`;
}

export async function isSetupNeeded(ctx: AppContext): Promise<boolean> {
  return (await countUsers(ctx.database.db)) === 0;
}

async function findUsableToken(q: Queryable, token: string) {
  const [row] = await q
    .select()
    .from(setupTokens)
    .where(
      and(
        eq(setupTokens.tokenHash, sha256Hex(token)),
        isNull(setupTokens.usedAt),
        gt(setupTokens.expiresAt, new Date()),
      ),
    );
  if (!row) throw identityProblems.setupTokenInvalid();
  return row;
}

/** Step 1: a TOTP secret for the owner-to-be, kept sealed beside the setup token until confirmed. */
export async function startSetupTotp(ctx: AppContext, token: string) {
  if (!(await isSetupNeeded(ctx))) throw identityProblems.setupDone();
  const row = await findUsableToken(ctx.database.db, token);
  const secret = generateTotpSecret();
  await ctx.database.db
    .update(setupTokens)
    .set({ pendingTotpSecret: sealTotpSecret(ctx, secret, 'setup', row.tokenHash) })
    .where(eq(setupTokens.tokenHash, row.tokenHash));
  const { organizationName } = await getSettings(ctx.database.db, organizationDefaults(ctx));
  return describeTotpEnrolment(secret, 'owner', organizationName);
}

/** Step 2: creates the owner with password and confirmed TOTP, signs them in, returns recovery codes. */
export async function completeSetup(
  ctx: AppContext,
  input: {
    token: string;
    email: string;
    name: string;
    password: string;
    totpCode: string;
    locale: 'en' | 'es' | 'fr';
    organization?: { name?: string; publicUrl?: string; securityContact?: string };
  },
  origin: RequestOrigin,
) {
  const passwordHash = await hashPassword(input.password);
  const facts: OrganizationChanges = {
    organizationName: input.organization?.name,
    publicUrl: input.organization?.publicUrl,
    securityContact: input.organization?.securityContact,
  };
  const result = await ctx.database.db.transaction(async (tx) => {
    if ((await countUsers(tx)) > 0) throw identityProblems.setupDone();
    const row = await findUsableToken(tx, input.token);
    if (!row.pendingTotpSecret) throw identityProblems.totpNotStarted();
    const secret = openTotpSecret(ctx, row.pendingTotpSecret, 'setup', row.tokenHash);
    const step = verifyTotp(secret, input.totpCode, null);
    if (step === undefined) throw identityProblems.invalidCode();
    // Spend the link only if still unspent: of two browsers racing with it, the second finds it used.
    const spent = await tx
      .update(setupTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(setupTokens.tokenHash, row.tokenHash), isNull(setupTokens.usedAt)))
      .returning({ tokenHash: setupTokens.tokenHash });
    if (spent.length === 0) throw identityProblems.setupTokenInvalid();
    const user = await insertUser(tx, {
      email: input.email,
      name: input.name,
      role: 'owner',
      passwordHash,
      locale: input.locale,
    });
    const recoveryCodes = await enableTotp(ctx, tx, user.id, secret, step);
    const started = await startSession(ctx, tx, { userId: user.id, state: 'active', origin });
    const actor = toSessionActor(started.session, user, origin);
    await recordAudit(tx, actor, {
      action: 'identity.setup.completed',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email },
    });
    await recordAudit(tx, actor, {
      action: 'identity.mfa.enabled',
      targetType: 'user',
      targetId: user.id,
      details: { method: 'totp' },
    });
    // The owner's first word on what the public may see: name, public URL, security contact.
    await updateOrganization(ctx, tx, actor, facts);
    return { token: started.token, recoveryCodes };
  });
  organizationChanged(ctx, facts);
  return result;
}
