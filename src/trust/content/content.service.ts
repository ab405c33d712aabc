import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Queryable } from '../../core/db/index.ts';
import type { Actor } from '../../core/http/actor.ts';
import { problems } from '../../core/http/problem.ts';
import {
  getOrganization,
  getSettings,
  type Organization,
  organizationChanged,
  organizationDefaults,
  updateOrganization,
} from '../../core/settings/index.ts';
import { trustProfile, trustSections } from '../tables.ts';
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
  brandColor: string | null;
  updatedAt: string;
};

/**
 * The profile as shown: the company name and security contact are the organization's (core settings,
 * their one place); the profile keeps its own contact only while the organization has none (a URL).
 */
export function toProfileView(
  row: ProfileRow,
  organization: Pick<Organization, 'name' | 'securityContact'>,
): ProfileView {
  return {
    companyName: organization.name,
    summary: row.summary,
    logoDataUrl: logoDataUrlOf(row),
    securityContact: organization.securityContact ?? row.securityContact,
    defaultLocale: row.defaultLocale as ProfileView['defaultLocale'],
    brandColor: row.brandColor,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function getProfile(ctx: AppContext): Promise<ProfileView> {
  const row = await getDraftProfileRow(ctx, ctx.database.db);
  return toProfileView(row, await getOrganization(ctx));
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
  const organizationFacts = {
    organizationName: body.companyName,
    securityContact: body.securityContact?.includes('@') ? body.securityContact.toLowerCase() : undefined,
  };
  await ensureDraftSeeded(ctx, ctx.database.db);
  const row = await ctx.database.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(trustProfile)
      .set(changes)
      .where(eq(trustProfile.id, PROFILE_ID))
      .returning();
    if (!updated) throw new Error('the trust profile is missing after seeding');
    // The name and an e-mail contact are organization facts: edited here, they change everywhere.
    await updateOrganization(ctx, tx, actor, organizationFacts);
    await recordAudit(tx, actor, {
      action: 'trust.profile.updated',
      targetType: 'trust_profile',
      targetId: String(PROFILE_ID),
      // The logo itself is not copied into the log: only that it changed.
      details: { changed: Object.keys(body).sort() },
    });
    return updated;
  });
  organizationChanged(ctx, organizationFacts);
  return toProfileView(row, await getOrganization(ctx));
}
