import { randomUUID } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustDocumentFiles, trustDocuments } from '../../../src/trust/tables.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';

const LOCALES = ['en', 'es', 'fr'] as const;
const PAGES = [
  '/',
  '/subprocessors',
  '/updates',
  '/documents/dpa',
  '/documents/soc2-report',
  '/documents/pentest-2025',
];

/** Strict enough for generated XML: balanced tags, no stray `<` or `&` in text, one root. */
function assertWellFormedXml(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt === -1 ? body.length : lt);
    expect(text, 'text with a bare &').not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+);)/);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    expect(m, `malformed tag at ${body.slice(lt, lt + 60)}`).not.toBeNull();
    const [whole, closing, name, , selfClosing] = m as RegExpExecArray;
    if (closing) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else if (!selfClosing) {
      if (stack.length === 0) roots += 1;
      stack.push(name as string);
    } else if (stack.length === 0) roots += 1;
    i = lt + whole.length;
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

const headingLevels = (html: string) => [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
const dateIn = (locale: string, iso: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

describe('public trust center site', () => {
  let t: TestApp;
  let admin: SignedIn;
  const api = (method: 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/trust${url}`, headers: admin.headers, payload });
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  describe('before the first publication', () => {
    for (const locale of LOCALES) {
      it(`answers every ${locale} page with a friendly "not published yet" page`, async () => {
        for (const path of ['/', '/subprocessors', '/updates', '/documents/dpa']) {
          const res = await get(`/${locale}${path}`);
          expect(res.statusCode, path).toBe(200);
          expect(res.body).toContain(`<html lang="${locale}"`);
          expect(res.body).toContain('<meta name="robots" content="noindex, nofollow">');
        }
      });
    }

    it('lists no page in the sitemap yet', async () => {
      const res = await get('/sitemap.xml');
      expect(res.statusCode).toBe(200);
      assertWellFormedXml(res.body);
      expect(res.body).not.toContain('<url>');
      expect((await get('/robots.txt')).body).not.toContain('Allow:');
    });

    it('says so in each language', async () => {
      expect((await get('/es/')).body).toContain('todavía no se ha publicado');
      expect((await get('/fr/')).body).toContain('pas encore publié');
    });
  });

  describe('once published', () => {
    beforeAll(async () => {
      await api('PATCH', '/profile', {
        companyName: 'Acme & <Sons>',
        summary: {
          en: 'Security is our job.',
          es: 'La seguridad es nuestro trabajo.',
          fr: 'La sécurité est notre métier.',
        },
        securityContact: 'security@acme.example',
      });
      await api('POST', '/certifications', {
        name: 'ISO 27001',
        status: 'compliant',
        auditor: 'Example Registrar',
        obtainedOn: '2024-03-01',
        validUntil: '2027-02-28',
        description: { en: 'Certified information security management system.' },
      });
      await api('POST', '/certifications', { name: 'HIPAA', status: 'planned' });
      await api('POST', '/sections', {
        kind: 'control_family',
        familyKey: 'backups',
        title: { en: 'Backups', es: 'Copias de seguridad', fr: 'Sauvegardes' },
        body: { en: 'Encrypted daily backups.' },
        status: 'implemented',
        lastVerifiedOn: '2025-05-02',
      });
      await api('POST', '/faqs', {
        question: { fr: 'Où sont hébergées les données ?' },
        answer: { fr: 'En Europe.' },
      });
      await api('POST', '/subprocessors', {
        name: 'Example Cloud',
        purpose: { en: 'Hosting', es: 'Alojamiento', fr: 'Hébergement' },
        location: 'EU (Ireland)',
        effectiveOn: '2025-01-15',
      });
      await api('POST', '/subprocessors', {
        name: 'Gone Mail Inc',
        purpose: { en: 'E-mail' },
        location: 'US',
        effectiveOn: '2019-01-01',
        removedOn: '2020-01-01',
      });
      await api('POST', '/updates', {
        slug: 'pentest-2025',
        title: { en: 'Annual penetration test completed', es: 'Prueba de penetración anual completada' },
        body: { en: 'No critical findings & two low ones, fixed.', es: 'Sin hallazgos críticos.' },
        publishedOn: '2025-03-10',
      });
      await insertDocument(
        {
          slug: 'dpa',
          title: { en: 'Data Processing Agreement', es: 'Acuerdo de tratamiento de datos' },
          accessLevel: 'public',
        },
        null,
      );
      await insertDocument(
        { slug: 'soc2-report', title: { en: 'SOC 2 Type II report' }, accessLevel: 'request' },
        'en',
      );
      await insertDocument(
        { slug: 'pentest-2025', title: { en: 'Penetration test report' }, accessLevel: 'nda' },
        null,
      );
      await insertDocument(
        {
          slug: 'iso-certificate-2022',
          title: { en: 'ISO certificate 2022' },
          accessLevel: 'public',
          validUntil: '2023-01-01',
        },
        null,
      );
      await insertDocument(
        { slug: 'no-file-yet', title: { en: 'Empty document' }, accessLevel: 'public' },
        undefined,
      );
      await insertDocument(
        {
          slug: 'next-year',
          title: { en: 'Future document' },
          accessLevel: 'public',
          validFrom: '2999-01-01',
        },
        null,
      );
      expect((await api('POST', '/publish')).statusCode).toBe(201);
    });

    async function insertDocument(
      values: typeof trustDocuments.$inferInsert,
      fileLocale: 'en' | 'es' | 'fr' | null | undefined,
    ): Promise<void> {
      const [doc] = await t.ctx.database.db.insert(trustDocuments).values(values).returning();
      if (fileLocale === undefined) return;
      await t.ctx.database.db.insert(trustDocumentFiles).values({
        documentId: doc?.id as string,
        locale: fileLocale,
        version: 1,
        fileName: `${values.slug}.pdf`,
        contentType: 'application/pdf',
        sizeBytes: 100,
        sha256: 'b'.repeat(64),
        storageKey: randomUUID(),
      });
    }

    for (const locale of LOCALES) {
      it(`serves every public page in ${locale} with its lang, hreflang alternates and x-default`, async () => {
        for (const path of PAGES) {
          const res = await get(`/${locale}${path}`);
          expect(res.statusCode, path).toBe(200);
          expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
          expect(res.headers['content-language']).toBe(locale);
          expect(res.body, path).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${locale}"`));
          for (const alternate of LOCALES) {
            expect(res.body).toContain(
              `<link rel="alternate" hreflang="${alternate}" href="http://localhost:3000/${alternate}${path}">`,
            );
          }
          const xDefault = path === '/' ? '/' : `/en${path}`;
          expect(res.body).toContain(
            `<link rel="alternate" hreflang="x-default" href="http://localhost:3000${xDefault}">`,
          );
        }
      });

      it(`gives every ${locale} page landmarks, a skip link, one h1 and headings in order`, async () => {
        for (const path of PAGES) {
          const { body } = await get(`/${locale}${path}`);
          for (const landmark of ['<header', '<nav', '<main id="main"', '<footer'])
            expect(body, path).toContain(landmark);
          expect(body).toMatch(/<body>\n<a class="skip-link" href="#main">/);
          const levels = headingLevels(body);
          expect(
            levels.filter((l) => l === 1),
            path,
          ).toHaveLength(1);
          expect(levels[0]).toBe(1);
          for (const [i, level] of levels.entries())
            if (i > 0) expect(level, path).toBeLessThanOrEqual((levels[i - 1] as number) + 1);
          // The CSP allows no inline script or style element: nothing in the page may need one.
          expect(body).not.toMatch(/<script|<style/);
        }
      });
    }

    it('keeps the visitor on the same page when switching language', async () => {
      const { body } = await get('/es/documents/dpa');
      expect(body).toContain('<a href="/en/documents/dpa" hreflang="en" lang="en">English</a>');
      expect(body).toContain('<a href="/fr/documents/dpa" hreflang="fr" lang="fr">Français</a>');
      expect(body).toContain(
        '<a href="/es/documents/dpa" hreflang="es" lang="es" aria-current="true">Español</a>',
      );
    });

    it('escapes the company name everywhere', async () => {
      const { body } = await get('/en/');
      expect(body).toContain('Acme &amp; &lt;Sons&gt;');
      expect(body).not.toContain('<Sons>');
    });

    it('shows each certification with its status, auditor and dates formatted for the locale', async () => {
      const fr = (await get('/fr/')).body;
      expect(fr).toContain('<h3>ISO 27001</h3>');
      expect(fr).toContain('<span class="status status-compliant">Conforme</span>');
      expect(fr).toContain('<dd>Example Registrar</dd>');
      expect(fr).toContain(`<time datetime="2024-03-01">${dateIn('fr', '2024-03-01')}</time>`);
      expect(fr).toContain(`<time datetime="2027-02-28">${dateIn('fr', '2027-02-28')}</time>`);
      expect((await get('/en/')).body).toContain('<span class="status status-planned">Planned</span>');
    });

    it('marks a fallback to the default locale with its lang and a visible "(in English)"', async () => {
      const es = (await get('/es/')).body;
      expect(es).toContain(
        '<div lang="en">\n<p><span class="fallback" lang="en">(in English)</span></p>\n<p>Certified information security management system.</p>\n</div>',
      );
      // Written in Spanish: no marker.
      expect(es).toContain('<h3>Copias de seguridad</h3>');
    });

    it('falls back to any written locale when the default one is missing too, and says which', async () => {
      const en = (await get('/en/')).body;
      expect(en).toContain('<span lang="fr">Où sont hébergées les données');
      expect(en).toContain('<span class="fallback" lang="fr">(en français)</span>');
    });

    it('shows the overview sections in order with their status and last-verified date', async () => {
      const en = (await get('/en/')).body;
      const narrative = en.indexOf('Our approach to security');
      const families = en.indexOf('Policies and procedures');
      const backups = en.indexOf('<h3>Backups</h3>');
      expect(narrative).toBeGreaterThan(0);
      expect(families).toBeGreaterThan(narrative);
      expect(backups).toBeGreaterThan(families);
      expect(en.slice(backups)).toMatch(
        /Implemented<\/span> · Last verified: <time datetime="2025-05-02">May 2, 2025<\/time>/,
      );
    });

    it('lists offered documents with their access level and a link to each page, marking the expired one', async () => {
      const en = (await get('/en/')).body;
      expect(en).toContain('<a href="/en/documents/dpa">Data Processing Agreement</a>');
      expect(en).toContain('<a href="/en/documents/soc2-report">SOC 2 Type II report</a>');
      expect(en).toContain('On request, under NDA');
      expect(en).toContain(
        '<a href="/en/documents/iso-certificate-2022">ISO certificate 2022</a></h3>\n<p><span class="status status-expired">Expired</span>',
      );
      expect(en).not.toContain('no-file-yet');
      expect(en).not.toContain('next-year');
    });

    it('shows the subprocessor summary, the FAQ, the security contact and the disclosure policy link', async () => {
      const en = (await get('/en/')).body;
      expect(en).toContain('We work with 1 subprocessor to deliver our service.');
      expect(en).toContain('<a href="/en/subprocessors">');
      expect(en).toContain('<a href="mailto:security@acme.example">security@acme.example</a>');
      expect(en).toContain('<a href="/en/security/policy">');
    });

    it('offers a public document for download', async () => {
      const { body } = await get('/es/documents/dpa');
      expect(body).toContain('<h1>Acuerdo de tratamiento de datos</h1>');
      expect(body).toContain(
        '<a class="button" href="/es/documents/dpa/download">Descargar Acuerdo de tratamiento de datos</a>',
      );
      expect(body).not.toContain('<form');
    });

    it('offers a request form for a gated document, posting name, email, company and reason', async () => {
      const { body } = await get('/fr/documents/soc2-report');
      expect(body).toContain('<form class="stack" method="post" action="/fr/documents/soc2-report/request">');
      for (const field of ['name="name"', 'name="email" type="email"', 'name="company"', 'name="reason"'])
        expect(body).toContain(field);
      expect(body).not.toContain('/download');
      expect(body).not.toContain('accord de confidentialité avant');
    });

    it('tells the visitor an NDA comes after approval for an nda document', async () => {
      const { body } = await get('/en/documents/pentest-2025');
      expect(body).toContain('action="/en/documents/pentest-2025/request"');
      expect(body).toContain('accept a non-disclosure agreement');
    });

    it('marks an expired document and offers neither download nor request', async () => {
      const res = await get('/en/documents/iso-certificate-2022');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('has expired and is no longer offered');
      expect(res.body).not.toContain('/download');
      expect(res.body).not.toContain('<form');
    });

    it('answers an unknown, file-less or not-yet-valid document with an HTML 404 in the locale', async () => {
      for (const slug of ['nope', 'no-file-yet', 'next-year', 'Bad_Slug']) {
        const res = await get(`/es/documents/${slug}`);
        expect(res.statusCode, slug).toBe(404);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.body).toContain('<html lang="es"');
        expect(res.body).toContain('Página no encontrada');
      }
    });

    it('answers any other path under a locale with the HTML 404, and other paths with problem+json', async () => {
      expect((await get('/fr/nowhere/at-all')).body).toContain('Page introuvable');
      const api = await get('/de/');
      expect(api.statusCode).toBe(404);
      expect(api.headers['content-type']).toContain('application/problem+json');
    });

    it('marks no navigation entry current on the 404 page, and Overview on the home page', async () => {
      for (const url of ['/en/nowhere', '/fr/documents/nope']) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.body, url).not.toContain('aria-current="page"');
      }
      expect((await get('/en/')).body).toMatch(/<a href="\/en\/" aria-current="page">/);
    });

    it('serves a favicon that every public page links, cached a day, with a CSP that runs nothing', async () => {
      expect((await get('/en/')).body).toContain(
        '<link rel="icon" type="image/svg+xml" href="/favicon.svg">',
      );
      const icon = await get('/favicon.svg');
      expect(icon.statusCode).toBe(200);
      expect(icon.headers['content-type']).toBe('image/svg+xml');
      expect(icon.headers['cache-control']).toBe('public, max-age=86400');
      expect(icon.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
      expect(icon.headers['x-content-type-options']).toBe('nosniff');
      expect(icon.body).toMatch(/^<svg [^>]*viewBox="0 0 32 32"/);
      expect(icon.body).not.toMatch(/<script|on\w+=/i);
      const again = await get('/favicon.svg', { 'if-none-match': String(icon.headers.etag) });
      expect(again.statusCode).toBe(304);
      const ico = await get('/favicon.ico');
      expect(ico.statusCode).toBe(301);
      expect(ico.headers.location).toBe('/favicon.svg');
    });

    it('lists current subprocessors with purpose, location and effective date, and a subscription form', async () => {
      const { body } = await get('/es/subprocessors');
      expect(body).toContain(
        `<tr><th scope="row">Example Cloud</th><td>Alojamiento</td><td>EU (Ireland)</td><td><time datetime="2025-01-15">${dateIn('es', '2025-01-15')}</time></td></tr>`,
      );
      expect(body).not.toContain('Gone Mail Inc');
      expect(body).toContain('<form class="stack" method="post" action="/es/subscriptions">');
      expect(body).toContain('name="email" type="email"');
    });

    it('lists dated updates and links the Atom feed', async () => {
      const { body } = await get('/en/updates');
      expect(body).toContain('<article id="pentest-2025"');
      expect(body).toContain('No critical findings &amp; two low ones, fixed.');
      expect(body).toContain('<time datetime="2025-03-10">March 10, 2025</time>');
      expect(body).toContain('href="/en/updates.atom"');
    });

    it('serves a well-formed Atom feed per locale', async () => {
      for (const locale of LOCALES) {
        const res = await get(`/${locale}/updates.atom`);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
        assertWellFormedXml(res.body);
        expect(res.body).toContain(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">`);
        expect(res.body).toContain('<updated>2025-03-10T00:00:00Z</updated>');
        expect(res.body).toContain(`href="http://localhost:3000/${locale}/updates#pentest-2025"`);
      }
      // French was not written: the entry says it is English.
      expect((await get('/fr/updates.atom')).body).toContain(
        '<title xml:lang="en">Annual penetration test completed</title>',
      );
    });

    it('generates a well-formed sitemap with every page in every locale and its alternates', async () => {
      const res = await get('/sitemap.xml');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
      assertWellFormedXml(res.body);
      const security = ['/security/policy', '/security/report', '/security/advisories', '/security/thanks'];
      const expected = [...PAGES, '/documents/iso-certificate-2022', ...security];
      const locs = [...res.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
      expect(locs.sort()).toEqual(
        LOCALES.flatMap((l) => expected.map((p) => `http://localhost:3000/${l}${p}`)).sort(),
      );
      expect(res.body).toContain(
        '<xhtml:link rel="alternate" hreflang="x-default" href="http://localhost:3000/"/>',
      );
      expect(res.body).toContain(
        '<xhtml:link rel="alternate" hreflang="fr" href="http://localhost:3000/fr/documents/dpa"/>',
      );
    });

    it('generates robots.txt from the same pages, pointing at the sitemap', async () => {
      const res = await get('/robots.txt');
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.body).toMatch(/^User-agent: \*$/m);
      expect(res.body).toContain('Allow: /es/documents/dpa');
      expect(res.body).toContain('Disallow: /api/');
      expect(res.body).toContain('Disallow: /fr/access/');
      expect(res.body).toContain('Allow: /fr/security/policy');
      expect(res.body).toContain('Disallow: /es/security/follow/');
      expect(res.body).toContain('Disallow: /en/security/portal/');
      expect(res.body).toContain('Sitemap: http://localhost:3000/sitemap.xml');
    });

    it('answers 304 to a matching If-None-Match and the page to a stale one', async () => {
      const first = await get('/en/');
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^W\/".+"$/);
      const again = await get('/en/', { 'if-none-match': etag });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
      expect((await get('/en/', { 'if-none-match': '"something-else"' })).statusCode).toBe(200);
    });

    it('sends brotli or gzip by Accept-Encoding, the same bytes once decompressed', async () => {
      const plain = await get('/fr/');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toContain('Accept-Encoding');
      const br = await get('/fr/', { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(plain.body);
      expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      const gzip = await get('/fr/', { 'accept-encoding': 'gzip;q=1, br;q=0' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzip.rawPayload).toString('utf8')).toBe(plain.body);
    });

    it('sets no cookie on any public page, even for a signed-in admin', async () => {
      const urls = [
        '/',
        '/en',
        ...PAGES.map((p) => `/es${p}`),
        '/es/updates.atom',
        '/sitemap.xml',
        '/robots.txt',
        '/assets/trust.css',
        '/fr/nope',
      ];
      for (const url of urls) {
        const anonymous = await get(url);
        expect(anonymous.headers['set-cookie'], url).toBeUndefined();
        const signedIn = await get(url, { cookie: admin.cookie });
        expect(signedIn.headers['set-cookie'], url).toBeUndefined();
      }
    });

    it("sends the app's security headers, with a CSP allowing no inline style or script at all", async () => {
      for (const url of ['/en/', '/es/documents/dpa', '/fr/nope', '/sitemap.xml']) {
        const res = await get(url);
        const csp = String(res.headers['content-security-policy']);
        expect(csp, url).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self';");
        expect(csp).toContain("style-src 'self';");
        expect(csp).not.toContain('nonce');
        expect(csp).toContain("frame-ancestors 'none'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
      }
    });

    it('serves the stylesheet from the site, cacheable for a year at its versioned URL', async () => {
      const href = /<link rel="stylesheet" href="([^"]+)">/.exec((await get('/en/')).body)?.[1] as string;
      expect(href).toMatch(/^\/assets\/trust\.css\?v=[0-9a-f]{12}$/);
      const css = await get(href);
      expect(css.statusCode).toBe(200);
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
      expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(css.body).toContain(':focus-visible');
    });

    it('redirects /en to /en/', async () => {
      const res = await get('/en');
      expect(res.statusCode).toBe(301);
      expect(res.headers.location).toBe('/en/');
    });

    describe('the root redirect', () => {
      const cases: [string | undefined, string][] = [
        ['es-MX,es;q=0.9,en;q=0.8', '/es/'],
        ['fr-CA', '/fr/'],
        ['de-DE,de;q=0.9,fr;q=0.5', '/fr/'],
        ['en-GB;q=0.2, es;q=0.7', '/es/'],
        ['de', '/en/'],
        [undefined, '/en/'],
        ['*;q=0, zz', '/en/'],
      ];
      for (const [header, location] of cases) {
        it(`sends Accept-Language ${JSON.stringify(header)} to ${location}, varying on it`, async () => {
          const res = await get('/', header ? { 'accept-language': header } : {});
          expect(res.statusCode).toBe(302);
          expect(res.headers.location).toBe(location);
          expect(res.headers.vary).toBe('Accept-Language');
        });
      }

      it('uses the published default locale when nothing matches, and points x-default at it', async () => {
        await api('PATCH', '/profile', { defaultLocale: 'es' });
        expect((await get('/')).headers.location).toBe('/en/');
        await api('POST', '/publish');
        expect((await get('/', { 'accept-language': 'de' })).headers.location).toBe('/es/');
        expect((await get('/fr/documents/dpa')).body).toContain(
          '<link rel="alternate" hreflang="x-default" href="http://localhost:3000/es/documents/dpa">',
        );
      });
    });
  });
});
