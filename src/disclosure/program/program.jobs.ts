import { and, eq, isNotNull, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import { isLocale } from '../../core/i18n/index.ts';
import type { JobDefinition } from '../../core/jobs/index.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import { settings } from '../../core/settings/tables.ts';
import { findActiveUsersByRole } from '../../identity/index.ts';
import type { ProgramExpiryItem } from '../mail/program.templates.ts';
import { disclosurePgpKeys } from '../tables.ts';
import { getPublishedProgram } from './program.service.ts';

export const EXPIRY_CHECK_JOB = 'disclosure.program-expiry-check';
/** Every day at 07:00 UTC. */
const EXPIRY_CHECK_CRON = '0 7 * * *';
/** Admins hear of an expiry they must act on this many days ahead. */
export const EXPIRY_WARNING_DAYS = 30;
/** Who keeps the program running: told about expiries. */
const PROGRAM_MANAGER_ROLES = ['owner', 'admin', 'security'];

const DAY_MS = 86_400_000;

type Expiry = { item: ProgramExpiryItem; expiresAt: Date; fingerprint?: string };

/**
 * Claims the right to warn about one expiry: a `settings` row named after the item and its date, made
 * insert-if-missing in the transaction that queues the mail. A date that changes (a new fixed Expires,
 * a new key) is a new marker, so it is warned about again; the same date never twice.
 */
async function claimWarning(q: Queryable, expiry: Expiry): Promise<boolean> {
  const subject = expiry.fingerprint ? `${expiry.item}:${expiry.fingerprint}` : expiry.item;
  const key = `disclosure.expiry-warned:${subject}:${expiry.expiresAt.toISOString()}`;
  const [row] = await q
    .insert(settings)
    .values({ key, value: { warnedAt: new Date().toISOString() } })
    .onConflictDoNothing()
    .returning({ key: settings.key });
  return row !== undefined;
}

/** Expiries within EXPIRY_WARNING_DAYS that need a person: a fixed Expires, an active key's expiry. */
async function upcomingExpiries(ctx: AppContext, now: Date): Promise<Expiry[]> {
  const horizon = new Date(now.getTime() + EXPIRY_WARNING_DAYS * DAY_MS);
  const expiries: Expiry[] = [];
  const { source } = await getPublishedProgram(ctx);
  const { autoRenew, fixedExpires } = source.securityTxt;
  if (!autoRenew && fixedExpires && new Date(fixedExpires) <= horizon) {
    expiries.push({ item: 'security-txt', expiresAt: new Date(fixedExpires) });
  }
  const keys = await ctx.database.db
    .select({ fingerprint: disclosurePgpKeys.fingerprint, expiresAt: disclosurePgpKeys.expiresAt })
    .from(disclosurePgpKeys)
    .where(
      and(
        eq(disclosurePgpKeys.active, true),
        isNotNull(disclosurePgpKeys.expiresAt),
        lte(disclosurePgpKeys.expiresAt, horizon),
      ),
    );
  for (const key of keys) {
    if (key.expiresAt)
      expiries.push({ item: 'pgp-key', expiresAt: key.expiresAt, fingerprint: key.fingerprint });
  }
  return expiries;
}

/** Mails owners, admins and the security team once per upcoming expiry (see claimWarning). */
export async function warnAboutExpiries(ctx: AppContext, now = new Date()): Promise<number> {
  const expiries = await upcomingExpiries(ctx, now);
  const { source } = await getPublishedProgram(ctx);
  let warned = 0;
  for (const expiry of expiries) {
    await ctx.database.db.transaction(async (tx) => {
      if (!(await claimWarning(tx, expiry))) return;
      warned += 1;
      for (const user of await findActiveUsersByRole(tx, PROGRAM_MANAGER_ROLES)) {
        await queueMail(ctx, tx, {
          to: user.email,
          template: 'disclosure-program-expiry-warning',
          locale: isLocale(user.locale) ? user.locale : ctx.config.defaultLocale,
          vars: {
            organizationName: source.companyName,
            item: expiry.item,
            expiresAt: expiry.expiresAt,
            fingerprint: expiry.fingerprint,
            link: `${ctx.config.publicUrl}/app/disclosure/program`,
          },
        });
      }
    });
  }
  return warned;
}

export function expiryCheckJob(ctx: AppContext): JobDefinition<z.ZodType> {
  return {
    name: EXPIRY_CHECK_JOB,
    payload: z.object({}).passthrough(),
    retryLimit: 3,
    handle: async () => {
      await warnAboutExpiries(ctx);
    },
  };
}

/** Registers the daily check (pg-boss keeps one schedule per name, so every process may call this). */
export async function defineProgramJobs(ctx: AppContext): Promise<void> {
  await ctx.jobs.define([expiryCheckJob(ctx)]);
  await ctx.jobs.boss.schedule(EXPIRY_CHECK_JOB, EXPIRY_CHECK_CRON, {}, { tz: 'UTC' });
}
