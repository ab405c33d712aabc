import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/index.ts';
import type { AppContext } from '../core/context.ts';
import type { Queryable } from '../core/db/index.ts';
import type { Actor } from '../core/http/actor.ts';
import { problems } from '../core/http/problem.ts';
import { getSettings, organizationDefaults } from '../core/settings/index.ts';
import { checkLogo } from './content.logo.ts';
import type { UpdateProfileBody } from './content.schemas.ts';
import {
  findProfile,
  insertProfileIfMissing,
  logoDataUrlOf,
  PROFILE_ID,
  type ProfileRow,
} from './content.store.ts';
import { defaultSections } from './defaults.ts';
import { trustProfile, trustSections } from './tables.ts';

const seeded = new WeakSet<AppContext>();

/**
 * On a fresh install, creates the profile (named after the organization) and the default overview
 * sections, once: the sections are seeded only by the call that creates the profile, so sections the
 * admin deletes later stay deleted. Runs on the first read or write of the draft; cheap afterwards.
 */
export async function ensureDraftSeeded(ctx: AppContext, q: Queryable): Promise<void> {
  if (seeded.has(ctx)) return;
  await q.transaction(async (tx) => {
    if (await findProfile(tx)) return;
    const organization = await getSettings(tx, organizationDefaults(ctx));
    const created = await insertProfileIfMissing(tx, {
      companyName: organization.organizationName,
      defaultLocale: organization.defaultLocale,
    });
    if (!created) return;
    await tx.insert(trustSections).values(
      defaultSections.map((section, position) => ({
        kind: section.kind,
        familyKey: section.familyKey,
        title: section.title,
        body: section.body,
        position,
      })),
    );
  });
  seeded.add(ctx);
}

export async function getDraftProfileRow(ctx: AppContext, q: Queryable): Promise<ProfileRow> {
  await ensureDraftSeeded(ctx, q);
  const row = await findProfile(q);
  if (!row) throw new Error('the trust profile is missing after seeding');
  return row;
}

export type ProfileView = {
  companyName: string;
  summary: ProfileRow['summary'];
  logoDataUrl: string | null;
  securityContact: string | null;
  defaultLocale: 'en' | 'es' | 'fr';
  updatedAt: string;
};

export function toProfileView(row: ProfileRow): ProfileView {
  return {
    companyName: row.companyName,
    summary: row.summary,
    logoDataUrl: logoDataUrlOf(row),
    securityContact: row.securityContact,
    defaultLocale: row.defaultLocale as ProfileView['defaultLocale'],
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function getProfile(ctx: AppContext): Promise<ProfileView> {
  return toProfileView(await getDraftProfileRow(ctx, ctx.database.db));
}

/** Edits the draft profile; a logo is checked by its bytes (see checkLogo) and refused with 422. */
export async function updateProfile(
  ctx: AppContext,
  actor: Actor,
  body: UpdateProfileBody,
): Promise<ProfileView> {
  const { logo, ...rest } = body;
  const changes: Partial<typeof trustProfile.$inferInsert> = { ...rest, updatedAt: new Date() };
  if (logo === null) {
    changes.logo = null;
    changes.logoType = null;
  } else if (logo !== undefined) {
    const checked = checkLogo(logo);
    if (!checked.ok) throw problems.validation([{ in: 'body', pointer: '/logo', detail: checked.reason }]);
    changes.logo = checked.base64;
    changes.logoType = checked.type;
  }
  await ensureDraftSeeded(ctx, ctx.database.db);
  const row = await ctx.database.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(trustProfile)
      .set(changes)
      .where(eq(trustProfile.id, PROFILE_ID))
      .returning();
    if (!updated) throw new Error('the trust profile is missing after seeding');
    await recordAudit(tx, actor, {
      action: 'trust.profile.updated',
      targetType: 'trust_profile',
      targetId: String(PROFILE_ID),
      // The logo itself is not copied into the log: only that it changed.
      details: { changed: Object.keys(body).sort() },
    });
    return updated;
  });
  return toProfileView(row);
}
