import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDraftSnapshot } from '../../../src/trust/publication/publication.service.ts';
import { trustPublications } from '../../../src/trust/tables.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';

const API = '/api/v1/trust';
const migrations = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

describe('subprocessor locations are written per language', () => {
  let t: TestApp;
  let admin: SignedIn;
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url: `${API}${url}`, headers: admin.headers, payload });

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  it('stores a location per locale, shows each language its own and falls back with a marker', async () => {
    const created = await api('POST', '/subprocessors', {
      name: 'Example Cloud',
      purpose: { en: 'Hosting', es: 'Alojamiento', fr: 'Hébergement' },
      location: { en: 'EU (Ireland)', fr: 'UE (Irlande)' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().location).toEqual({ en: 'EU (Ireland)', fr: 'UE (Irlande)' });
    expect((await api('POST', '/publish')).statusCode).toBe(201);

    expect((await t.app.inject({ url: '/fr/subprocessors' })).body).toContain('<td>UE (Irlande)</td>');
    expect((await t.app.inject({ url: '/en/subprocessors' })).body).toContain('<td>EU (Ireland)</td>');
    // No Spanish: the default language's text, marked as such for the reader.
    const es = (await t.app.inject({ url: '/es/subprocessors' })).body;
    expect(es).toMatch(/<td><span lang="en">EU \(Ireland\)<\/span> <span class="fallback" lang="en">/);
  });

  it('saves the translations the editor sends', async () => {
    const list = (await api('GET', '/subprocessors')).json();
    const sub = (Array.isArray(list) ? list : list.items)[0] as { id: string };
    const res = await api('PATCH', `/subprocessors/${sub.id}`, {
      location: { en: 'EU (Ireland)', es: 'UE (Irlanda)', fr: 'UE (Irlande)' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().location.es).toBe('UE (Irlanda)');
  });

  it('reads a plain string, as clients sent before, as the same text in every language', async () => {
    const res = await api('POST', '/subprocessors', {
      name: 'Mail Co',
      purpose: { en: 'E-mail' },
      location: 'US',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().location).toEqual({ en: 'US', es: 'US', fr: 'US' });
  });

  it('refuses a location written in no language', async () => {
    const res = await api('POST', '/subprocessors', { name: 'X', purpose: { en: 'x' }, location: {} });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].pointer).toBe('/location');
  });
});

describe('what was published or stored before locations were translatable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it('renders a published snapshot whose locations are plain strings, in every language', async () => {
    const snapshot = await buildDraftSnapshot(t.ctx, t.ctx.database.db);
    const oldSubprocessor = {
      id: '00000000-0000-4000-8000-000000000001',
      name: 'Legacy Hosting',
      purpose: { en: 'Hosting' },
      location: 'Germany',
      website: null,
      effectiveOn: null,
      removedOn: null,
    };
    // Written straight to the table, as an older release stored it; this app has read no publication yet.
    await t.ctx.database.db.insert(trustPublications).values({
      snapshot: { ...snapshot, subprocessors: [oldSubprocessor] },
    });
    for (const locale of ['en', 'es', 'fr']) {
      const res = await t.app.inject({ url: `/${locale}/subprocessors` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<td>Germany</td>');
    }
  });

  it('the migration copies an old text location into every language', async () => {
    const file = readdirSync(migrations).find((name) => name.endsWith('_trust_brand_badges_locations.sql'));
    expect(file).toBeDefined();
    const statements = readFileSync(path.join(migrations, file as string), 'utf8').split(
      '--> statement-breakpoint',
    );
    const conversion = statements.find((s) => s.includes('"location" SET DATA TYPE jsonb'));
    expect(conversion).toBeDefined();
    const db = t.ctx.database.db;
    // Back to the old shape, one row as an older release wrote it, then the upgrade again.
    await db.execute(sql.raw(`ALTER TABLE "trust_subprocessors" ALTER COLUMN "location" DROP DEFAULT`));
    await db.execute(
      sql.raw(
        `ALTER TABLE "trust_subprocessors" ALTER COLUMN "location" SET DATA TYPE text USING "location"->>'en'`,
      ),
    );
    await db.execute(
      sql.raw(`INSERT INTO "trust_subprocessors" ("name", "location") VALUES ('Old Row', 'EU (Frankfurt)')`),
    );
    await db.execute(sql.raw(conversion as string));
    const result = await db.execute(
      sql.raw(`SELECT "location" FROM "trust_subprocessors" WHERE "name" = 'Old Row'`),
    );
    const rows = (result as unknown as { rows: { location: unknown }[] }).rows;
    expect(rows[0]?.location).toEqual({ en: 'EU (Frankfurt)', es: 'EU (Frankfurt)', fr: 'EU (Frankfurt)' });
  });
});
