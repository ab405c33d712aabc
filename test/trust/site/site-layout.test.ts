import { describe, expect, it } from 'vitest';
import { renderPage } from '../../../src/trust/site/layout.ts';
import { block, inline, pick } from '../../../src/trust/site/localize.ts';
import { chooseEncoding } from '../../../src/trust/site/page-cache.ts';

describe('renderPage', () => {
  const base = {
    locale: 'fr' as const,
    path: '/documents/dpa',
    title: 'DPA <v2>',
    body: '<h1>DPA</h1>',
    profile: { companyName: 'O"Brien & Co' },
  };

  it('escapes the title and the company name but not the trusted body', () => {
    const html = renderPage(base);
    expect(html).toContain('<title>DPA &lt;v2&gt; · O&quot;Brien &amp; Co</title>');
    expect(html).toContain('<main id="main" class="wrap" tabindex="-1">\n<h1>DPA</h1>\n</main>');
  });

  it('links every locale of the same path, root-relative without a public URL', () => {
    const html = renderPage(base);
    expect(html).toContain('<link rel="alternate" hreflang="es" href="/es/documents/dpa">');
    expect(html).toContain('<link rel="alternate" hreflang="x-default" href="/en/documents/dpa">');
  });

  it('points x-default of the home page at the negotiating root', () => {
    const html = renderPage({ ...base, path: '/', publicUrl: 'https://trust.example' });
    expect(html).toContain('<link rel="alternate" hreflang="x-default" href="https://trust.example/">');
  });

  it('marks noindex pages for robots', () => {
    expect(renderPage({ ...base, noindex: true })).toContain(
      '<meta name="robots" content="noindex, nofollow">',
    );
    expect(renderPage(base)).not.toContain('name="robots"');
  });

  it('shows the logo as a decorative image inside the labelled home link', () => {
    const html = renderPage({
      ...base,
      profile: { companyName: 'X', logoDataUrl: 'data:image/png;base64,AAAA' },
    });
    expect(html).toContain('<img class="logo" src="data:image/png;base64,AAAA" alt="" height="40">');
    expect(html).toContain('aria-label="Accueil du centre de confiance de X"');
  });

  it('elides "de" before a company name starting with a vowel, not before h or a consonant', () => {
    const label = (companyName: string) =>
      /aria-label="([^"]*)"/.exec(renderPage({ ...base, profile: { companyName } }))?.[1];
    expect(label('Acme')).toBe('Accueil du centre de confiance d’Acme');
    expect(label('Écho Santé')).toBe('Accueil du centre de confiance d’Écho Santé');
    expect(label('Hachette')).toBe('Accueil du centre de confiance de Hachette');
    expect(label('Globex')).toBe('Accueil du centre de confiance de Globex');
    expect(renderPage({ ...base, locale: 'es', profile: { companyName: 'Acme' } })).not.toContain('d’Acme');
  });
});

describe('localized fragments', () => {
  it('prefers the page locale, then the default locale, then any', () => {
    expect(pick({ en: 'A', es: 'B' }, 'es', 'en')).toEqual({ text: 'B', lang: 'es', isFallback: false });
    expect(pick({ en: 'A', es: 'B' }, 'fr', 'es')).toEqual({ text: 'B', lang: 'es', isFallback: true });
    expect(pick({ fr: 'C' }, 'en', 'es')).toEqual({ text: 'C', lang: 'fr', isFallback: true });
    expect(pick({}, 'en', 'en')).toBeUndefined();
  });

  it('escapes admin text and keeps paragraphs', () => {
    expect(block({ text: 'a <b>\n\nc\nd', lang: 'en', isFallback: false })).toBe(
      '<p>a &lt;b&gt;</p>\n<p>c<br>d</p>',
    );
  });

  it('labels a Spanish fallback with its lang and "(en español)"', () => {
    expect(inline({ text: 'Hola', lang: 'es', isFallback: true })).toBe(
      '<span lang="es">Hola</span> <span class="fallback" lang="es">(en español)</span>',
    );
  });
});

describe('chooseEncoding', () => {
  it('prefers brotli, then gzip, and honours q=0', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
    expect(chooseEncoding('gzip;q=0')).toBeUndefined();
  });
});
