import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetOrganization, getOrganization } from '../../src/core/settings/organization.ts';
import { settings } from '../../src/core/settings/tables.ts';
import { defaultProgramSource } from '../../src/disclosure/program/program.defaults.ts';
import { disclosureProgramVersions } from '../../src/disclosure/tables.ts';
import { ensureDraftSeeded } from '../../src/trust/content/content.service.ts';
import { trustProfile } from '../../src/trust/tables.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const migrations = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
const backfill = readdirSync(migrations).find((name) => name.endsWith('_organization_facts_backfill.sql'));

/** Runs the hand-written backfill migration again, as an upgrade from the previous release does. */
async function runBackfill(t: TestApp): Promise<void> {
  const text = readFileSync(path.join(migrations, backfill as string), 'utf8');
  for (const statement of text.split('--> statement-breakpoint')) {
    await t.ctx.database.db.execute(sql.raw(statement));
  }
  forgetOrganization(t.ctx);
}

function programWith(email: string) {
  const source = defaultProgramSource({
    companyName: 'Acme Corp',
    defaultLocale: 'en',
    publicUrl: 'https://trust.acme.test',
  });
  return {
    ...source,
    contacts: [...source.contacts, { kind: 'email', value: `mailto:${email}`, label: {} }],
  };
}

// An install upgraded from the release that published the defaults at first start keeps what it showed.
describe('upgrading: the organization facts are copied from the trust profile and the program', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { ATTEST_PUBLIC_URL: 'https://trust.acme.test' } });
    await ensureDraftSeeded(t.ctx, t.ctx.database.db);
    await t.ctx.database.db
      .update(trustProfile)
      .set({ companyName: 'Acme Corp', securityContact: 'trust@acme.org' })
      .where(eq(trustProfile.id, 1));
    await t.ctx.database.db.delete(settings);
  });
  afterAll(() => t?.close());

  it('never copies a placeholder, and keeps the program public with no security.txt until a real contact', async () => {
    expect(backfill).toBeDefined();
    await t.ctx.database.db
      .insert(disclosureProgramVersions)
      .values({ version: 1, source: programWith('security@localhost') });
    await t.ctx.database.db.update(trustProfile).set({ securityContact: null }).where(eq(trustProfile.id, 1));
    await runBackfill(t);
    const organization = await getOrganization(t.ctx, t.ctx.database.db);
    expect(organization).toMatchObject({ name: 'Acme Corp', securityContact: null });
    expect((await t.app.inject({ method: 'GET', url: '/en/security/policy' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/.well-known/security.txt' })).statusCode).toBe(404);
  });

  it("takes the trust profile's contact, and prefers the newest program's real one", async () => {
    await t.ctx.database.db
      .update(trustProfile)
      .set({ securityContact: 'Trust@Acme.org' })
      .where(eq(trustProfile.id, 1));
    await runBackfill(t);
    expect((await getOrganization(t.ctx, t.ctx.database.db)).securityContact).toBe('trust@acme.org');

    await t.ctx.database.db.delete(settings).where(eq(settings.key, 'securityContact'));
    await t.ctx.database.db
      .insert(disclosureProgramVersions)
      .values({ version: 2, source: programWith('psirt@acme.org') });
    await runBackfill(t);
    expect((await getOrganization(t.ctx, t.ctx.database.db)).securityContact).toBe('psirt@acme.org');
    const securityTxt = await t.app.inject({ method: 'GET', url: '/.well-known/security.txt' });
    expect(securityTxt.statusCode).toBe(200);
    expect(securityTxt.body).toContain('Contact: mailto:psirt@acme.org');
  });
});
