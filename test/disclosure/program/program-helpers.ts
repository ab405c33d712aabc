import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { AppContext } from '../../../src/core/context.ts';
import { systemActor } from '../../../src/core/http/actor.ts';
import { organizationChanged, updateOrganization } from '../../../src/core/settings/index.ts';
import type { ProgramSource } from '../../../src/disclosure/program/program.schema.ts';

export const DISCLOSURE_API = '/api/v1/disclosure';

/** The draft's source, read through the API. */
export async function readDraft(
  app: FastifyInstance,
  headers: Record<string, string>,
): Promise<ProgramSource> {
  const res = await app.inject({ method: 'GET', url: `${DISCLOSURE_API}/program/draft`, headers });
  expect(res.statusCode).toBe(200);
  return res.json().source as ProgramSource;
}

/** Changes the draft with `edit` and saves it; returns the response (200 or a problem). */
export async function editDraft(
  app: FastifyInstance,
  headers: Record<string, string>,
  edit: (source: ProgramSource) => ProgramSource | undefined,
) {
  const source = await readDraft(app, headers);
  const edited = edit(structuredClone(source)) ?? source;
  return app.inject({ method: 'PUT', url: `${DISCLOSURE_API}/program/draft`, headers, payload: edited });
}

/**
 * Publishes the draft as an owner or admin would: first giving the organization's security contact
 * when none is set yet (a fresh install refuses to publish without one). Returns the new version number.
 */
export async function publish(app: FastifyInstance, headers: Record<string, string>): Promise<number> {
  const settings = await app.inject({ method: 'GET', url: '/api/v1/settings', headers });
  if (settings.statusCode === 200 && settings.json().securityContact === null) {
    await setSecurityContact(app, headers);
  }
  const res = await app.inject({ method: 'POST', url: `${DISCLOSURE_API}/program/publish`, headers });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().version as number;
}

/** The text a cleartext-signed message signs (dash-escaping undone); an unsigned text as it is. */
export function signedText(text: string): string {
  if (!text.startsWith('-----BEGIN PGP SIGNED MESSAGE-----')) return text;
  const body = text.slice(text.indexOf('\n\n') + 2, text.indexOf('\n-----BEGIN PGP SIGNATURE-----'));
  return body.replace(/^- /gm, '');
}

/** Field name (lower case) → values, for a security.txt body, signed or not. */
export function fieldsOf(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const line of signedText(text).split(/\r?\n/)) {
    const match = /^([A-Za-z-]+): (.*)$/.exec(line);
    if (!match) continue;
    const name = (match[1] as string).toLowerCase();
    fields.set(name, [...(fields.get(name) ?? []), match[2] as string]);
  }
  return fields;
}

/** A security contact that is no placeholder (example.com, .test and localhost addresses are refused). */
export const SECURITY_CONTACT = 'security@acme.org';

/** Sets the organization's security contact through the settings API (owner or admin headers). */
export async function setSecurityContact(
  app: FastifyInstance,
  headers: Record<string, string>,
  securityContact = SECURITY_CONTACT,
): Promise<void> {
  const res = await app.inject({
    method: 'PATCH',
    url: '/api/v1/settings',
    headers,
    payload: { securityContact },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/**
 * What an owner does before anything of the program is public: give the security contact, then publish
 * the draft (a fresh install publishes nothing by itself). Returns the new version number.
 */
export async function publishWithContact(
  app: FastifyInstance,
  headers: Record<string, string>,
  securityContact = SECURITY_CONTACT,
): Promise<number> {
  await setSecurityContact(app, headers, securityContact);
  return publish(app, headers);
}

/** The owner's word on the security contact, given outside HTTP (as `attest org set` does). */
export async function giveSecurityContact(
  ctx: AppContext,
  securityContact = SECURITY_CONTACT,
): Promise<void> {
  await ctx.database.db.transaction((tx) =>
    updateOrganization(ctx, tx, systemActor('test'), { securityContact }),
  );
  organizationChanged(ctx, { securityContact });
}
