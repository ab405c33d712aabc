import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOutOfScopeCategories } from '../../../src/disclosure/program/program.defaults.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import {
  DISCLOSURE_API,
  editDraft,
  publish,
  publishWithContact,
  SECURITY_CONTACT,
} from '../program/program-helpers.ts';

const PUBLIC_URL = 'https://trust.acme.test';

/** What each locale's page must say, from the default program (version 1). */
const expected = {
  en: {
    title: 'Vulnerability disclosure policy',
    sla: 'within 3 business days',
    reserve: 'We may classify any report as out of scope',
    intro: 'Keeping our customers and their data safe is part of our job',
  },
  es: {
    title: 'Política de divulgación de vulnerabilidades',
    sla: 'en un plazo de 3 días hábiles',
    reserve: 'Nos reservamos el derecho de considerar cualquier informe fuera del alcance',
    intro: 'Proteger a nuestros clientes y sus datos forma parte de nuestro trabajo',
  },
  fr: {
    title: 'Politique de divulgation des vulnérabilités',
    sla: 'sous 3 jours ouvrés',
    reserve: 'Nous nous réservons le droit de considérer tout signalement comme hors périmètre',
    intro: 'Protéger nos clients et leurs données fait partie de notre métier',
  },
} as const;

const escaped = (text: string) => text.replace(/'/g, '&#39;').replace(/"/g, '&quot;');

describe('the public policy page and SECURITY.md', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp({ env: { ATTEST_PUBLIC_URL: PUBLIC_URL } });
    admin = await loginAs(t.app, t.ctx, 'admin');
    await publishWithContact(t.app, admin.headers);
  });
  afterAll(() => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });

  it.each(['en', 'es', 'fr'] as const)(
    'renders /%s/security/policy from the published version',
    async (locale) => {
      const res = await get(`/${locale}/security/policy`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-language']).toBe(locale);
      expect(res.headers['content-security-policy']).toBeDefined();
      expect(res.headers['set-cookie']).toBeUndefined();
      const html = res.body;
      expect(html).toContain(`<html lang="${locale}"`);
      for (const l of ['en', 'es', 'fr']) {
        expect(html).toContain(
          `<link rel="alternate" hreflang="${l}" href="${PUBLIC_URL}/${l}/security/policy">`,
        );
      }
      expect(html).toContain(
        `<link rel="alternate" hreflang="x-default" href="${PUBLIC_URL}/en/security/policy">`,
      );
      const want = expected[locale];
      expect(html).toContain(`<h1>${want.title}</h1>`);
      expect(html).toContain(escaped(want.intro));
      expect(html).toContain(want.sla);
      expect(html).toContain(escaped(want.reserve));
      const list = /<ul class="out-of-scope">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
      expect(list.match(/<li>/g)).toHaveLength(defaultOutOfScopeCategories.length);
      for (const category of defaultOutOfScopeCategories)
        expect(list).toContain(escaped(category.label[locale] ?? ''));
      // The report form is listed first among the contacts, with the locale's colon (French: a no-break space first).
      const separator = locale === 'fr' ? '\u00a0: ' : ': ';
      expect(html).toContain(`${separator}<a href="${PUBLIC_URL}/${locale}/security/report">`);
      expect(html).toContain(`href="${PUBLIC_URL}/${locale}/security/thanks"`);
      expect(html).toContain(`mailto:${SECURITY_CONTACT}`);
    },
  );

  it('answers a repeat visit with 304 when the ETag matches', async () => {
    const first = await get('/fr/security/policy');
    const again = await get('/fr/security/policy', { 'if-none-match': first.headers.etag as string });
    expect(again.statusCode).toBe(304);
  });

  it('serves the published SECURITY.md per locale, publicly, as text/markdown', async () => {
    for (const locale of ['en', 'es', 'fr'] as const) {
      const res = await get(`${DISCLOSURE_API}/policy.md?locale=${locale}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
      expect(res.body.startsWith('# ')).toBe(true);
      expect(res.body).toContain(expected[locale].intro);
      expect(res.body).toContain(expected[locale].sla);
      expect(res.body).toContain(expected[locale].reserve);
      for (const category of defaultOutOfScopeCategories)
        expect(res.body).toContain(`- ${category.label[locale]}`);
      expect(res.body).toContain(`<${PUBLIC_URL}/${locale}/security/report>`);
    }
    const fallback = await get(`${DISCLOSURE_API}/policy.md`);
    expect(fallback.body).toContain(expected.en.intro);
    const bad = await get(`${DISCLOSURE_API}/policy.md?locale=de`);
    expect(bad.statusCode).toBe(422);
  });

  it('shows a draft only once it is published, with its numbers, calendar and scope choices', async () => {
    const saved = await editDraft(t.app, admin.headers, (s) => {
      s.responseBusinessDays = 5;
      s.reserveScopeDecision = false;
      s.holidays = { country: 'ES', region: 'MD' };
      s.timeZone = 'Europe/Madrid';
      s.assets.push({ identifier: 'legacy.acme.test', kind: 'domain', inScope: false, description: {} });
      s.introduction.es = 'Texto <nuevo> de la política.';
      return s;
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await get('/es/security/policy')).body).toContain(expected.es.sla);

    await publish(t.app, admin.headers);
    const html = (await get('/es/security/policy')).body;
    expect(html).toContain('en un plazo de 5 días hábiles');
    expect(html).not.toContain(expected.es.sla);
    expect(html).not.toContain(escaped(expected.es.reserve));
    expect(html).toContain('Europe/Madrid');
    expect(html).toContain('España');
    expect(html).toContain('<code>legacy.acme.test</code>');
    expect(html).toContain('Texto &lt;nuevo&gt; de la política.');
    expect(html).toContain('Versión 2');
    const md = (await get(`${DISCLOSURE_API}/policy.md?locale=es`)).body;
    expect(md).toContain('en un plazo de 5 días hábiles');
    expect(md).not.toContain(expected.es.reserve);
    // Texts without a Spanish version fall back to the default locale, marked with their language.
    await editDraft(t.app, admin.headers, (s) => {
      s.rulesOfEngagement = [{ en: 'Only test with your own accounts.' }];
      return s;
    });
    await publish(t.app, admin.headers);
    expect((await get('/es/security/policy')).body).toContain(
      '<li><span lang="en">Only test with your own accounts.</span></li>',
    );
  });
});
