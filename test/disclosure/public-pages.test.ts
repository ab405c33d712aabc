import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVISORIES_API, createAdvisory, insertReport, publishAdvisory } from '../fixtures/advisories.ts';
import { loginAs, type SignedIn } from '../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import {
  publishIntakeProgram,
  REPORTS_API,
  reportBody,
  researcherEmail,
  tokenOf,
} from './intake/intake-helpers.ts';

const LOCALES = ['en', 'es', 'fr'] as const;
const headingLevels = (html: string) => [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));

describe('the disclosure program’s public pages', () => {
  let t: TestApp;
  let admin: SignedIn;
  let advisory: { id: string; identifier: string };
  let draft: { id: string; identifier: string };
  let followToken: string;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    const version = await publishIntakeProgram(t.app, admin.headers);
    const sent = await t.app.inject({
      method: 'POST',
      url: REPORTS_API,
      payload: reportBody(version, { reporter: { email: researcherEmail(), name: 'R' } }),
    });
    expect(sent.statusCode, sent.body).toBe(201);
    followToken = tokenOf(sent.json().followUrl);
    await insertReport(t.ctx, { reporter: { name: 'Ada Named' }, resolvedAt: new Date() });
    // A description whose own headings start deep: they must not break the page's order either.
    advisory = await createAdvisory(t.app, admin.headers, {
      description: '#### Deep heading first\n\nText.\n\n# Then a top one',
    });
    expect((await publishAdvisory(t.app, admin.headers, advisory.id)).statusCode).toBe(200);
    draft = await createAdvisory(t.app, admin.headers, { title: 'Not public yet' });
    const site = await t.app.inject({
      method: 'POST',
      url: '/api/v1/trust/publish',
      headers: admin.headers,
    });
    expect(site.statusCode, site.body).toBe(201);
  });
  afterAll(() => t?.close());

  for (const locale of LOCALES) {
    it(`gives every ${locale} page one h1 first and headings that never skip a level`, async () => {
      const pages = [
        '/security/policy',
        '/security/report',
        '/security/advisories',
        `/security/advisories/${advisory.identifier}`,
        '/security/thanks',
        '/security/portal',
        `/security/follow/${followToken}`,
      ];
      const skips: string[] = [];
      for (const path of pages) {
        const response = await t.app.inject({ method: 'GET', url: `/${locale}${path}` });
        expect(response.statusCode, path).toBe(200);
        const levels = headingLevels(response.body);
        expect(levels[0], path).toBe(1);
        expect(
          levels.filter((level) => level === 1),
          path,
        ).toHaveLength(1);
        levels.forEach((level, i) => {
          const previous = levels[i - 1];
          if (previous !== undefined && level > previous + 1)
            skips.push(`${path}: h${previous} then h${level}`);
        });
      }
      // Every page is checked before failing, so one report names every skip.
      expect(skips).toEqual([]);
    });
  }

  it('lists each published advisory’s page in the sitemap, in every language, at once', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/sitemap.xml' });
    for (const locale of LOCALES) {
      expect(before.body).toContain(
        `<loc>${t.ctx.config.publicUrl}/${locale}/security/advisories/${advisory.identifier}</loc>`,
      );
    }
    expect(before.body).not.toContain(draft.identifier);
    expect((await publishAdvisory(t.app, admin.headers, draft.id)).statusCode).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: '/sitemap.xml' });
    expect(after.body).toContain(
      `<loc>${t.ctx.config.publicUrl}/en/security/advisories/${draft.identifier}</loc>`,
    );
    expect(after.body).toContain(
      `hreflang="fr" href="${t.ctx.config.publicUrl}/fr/security/advisories/${draft.identifier}"`,
    );
    // The API list still works the same; nothing private reaches the sitemap.
    const list = await t.app.inject({ method: 'GET', url: ADVISORIES_API, headers: admin.headers });
    expect(list.statusCode).toBe(200);
    expect(after.body).not.toContain('/security/follow/');
  });
});
