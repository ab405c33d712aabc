import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandStylesheet, brandStylesheetHref, contrastRatio } from '../../../src/trust/site/brand.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../helpers/app.ts';

describe('brand colour stylesheet', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('ffffff', '000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('777777', 'ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('abcdef', 'abcdef')).toBe(1);
  });

  it('puts white text on a dark colour and black text on a light one', () => {
    expect(brandStylesheet('1b2a4a')).toContain('--accent-text: #ffffff;');
    expect(brandStylesheet('ffd400')).toContain('--accent-text: #000000;');
  });

  it('uses the colour for links only when it reads on white, else keeps the default blue', () => {
    expect(brandStylesheet('1b2a4a')).toContain('--link: #1b2a4a;');
    expect(brandStylesheet('ffd400')).toContain('--link: #0b5cad;');
  });

  it('accepts only #rrggbb', () => {
    expect(brandStylesheetHref('#0B5CAD')).toBe('/assets/brand/0b5cad.css');
    expect(brandStylesheetHref('red')).toBeUndefined();
    expect(brandStylesheetHref(null)).toBeUndefined();
    expect(brandStylesheet('0b5cad;}body{display:none')).toBeUndefined();
  });
});

describe('brand colour on the public site', () => {
  let t: TestApp;
  let admin: SignedIn;
  const api = (method: 'GET' | 'PATCH' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/trust${url}`, headers: admin.headers, payload });

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  it('refuses a colour that is not #rrggbb', async () => {
    const res = await api('PATCH', '/profile', { brandColor: 'red' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].pointer).toBe('/brandColor');
  });

  it('saves the colour (audited), and published pages link its stylesheet under the strict CSP', async () => {
    const res = await api('PATCH', '/profile', { brandColor: '#1B2A4A' });
    expect(res.statusCode).toBe(200);
    expect(res.json().brandColor).toBe('#1b2a4a');
    const audit = await auditEntries(t.ctx, 'trust.profile.updated');
    expect(audit.at(-1)?.details).toMatchObject({ changed: ['brandColor'] });
    expect((await api('POST', '/publish')).statusCode).toBe(201);

    const page = await t.app.inject({ url: '/fr/' });
    expect(page.body).toContain('<link rel="stylesheet" href="/assets/brand/1b2a4a.css">');
    expect(page.body).not.toMatch(/ style=|<style/);
    expect(page.headers['content-security-policy']).toMatch(/style-src 'self'(;|$)/);

    const css = await t.app.inject({ url: '/assets/brand/1b2a4a.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.body).toContain('--accent: #1b2a4a;');
    expect((await t.app.inject({ url: '/assets/brand/zzzzzz.css' })).statusCode).toBe(404);
  });

  it('drops the stylesheet when the colour is removed', async () => {
    expect((await api('PATCH', '/profile', { brandColor: null })).json().brandColor).toBeNull();
    expect((await api('POST', '/publish')).statusCode).toBe(201);
    expect((await t.app.inject({ url: '/en/' })).body).not.toContain('/assets/brand/');
  });
});
