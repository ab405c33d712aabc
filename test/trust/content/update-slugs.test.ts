import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slugFromTitle } from '../../../src/trust/content/update-slugs.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';

describe('slugs made from titles', () => {
  it.each([
    [
      'Évaluation d’impact relative à la protection des données',
      'evaluation-d-impact-relative-a-la-protection-des-donnees',
    ],
    ['Prueba de penetración 2026: ¡sin hallazgos!', 'prueba-de-penetracion-2026-sin-hallazgos'],
    ['Straße & Œuvre', 'strasse-and-oeuvre'],
    ['  TLS   keys -- rotated ', 'tls-keys-rotated'],
    ['日本語', 'update'],
  ])('%s → %s', (title, slug) => {
    expect(slugFromTitle(title)).toBe(slug);
  });

  it('keeps slugs within 80 characters, without a trailing hyphen', () => {
    const slug = slugFromTitle('word '.repeat(40));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});

describe('security updates get their address from the title', () => {
  let t: TestApp;
  let admin: SignedIn;
  const api = (method: 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/trust${url}`, headers: admin.headers, payload });
  const note = (title: Record<string, string>) => ({
    title,
    body: { en: 'Body.' },
    publishedOn: '2026-03-01',
  });

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  it('makes a unique slug from the default language title when none is given', async () => {
    const first = await api('POST', '/updates', note({ fr: 'Rotation des clés', en: 'Key rotation' }));
    expect(first.statusCode).toBe(201);
    expect(first.json().slug).toBe('key-rotation');
    const second = await api('POST', '/updates', note({ en: 'Key rotation' }));
    expect(second.json().slug).toBe('key-rotation-2');
    const third = await api('POST', '/updates', note({ en: 'Key rotation!' }));
    expect(third.json().slug).toBe('key-rotation-3');
  });

  it('keeps the slug when the title changes, and refuses a new slug once published', async () => {
    const created = (await api('POST', '/updates', note({ en: 'Pentest done' }))).json();
    const renamedDraft = await api('PATCH', `/updates/${created.id}`, { slug: 'pentest-2026' });
    expect(renamedDraft.statusCode).toBe(200);
    expect((await api('POST', '/publish')).statusCode).toBe(201);

    const retitled = await api('PATCH', `/updates/${created.id}`, { title: { en: 'Penetration test done' } });
    expect(retitled.statusCode).toBe(200);
    expect(retitled.json().slug).toBe('pentest-2026');
    const renamed = await api('PATCH', `/updates/${created.id}`, { slug: 'another' });
    expect(renamed.statusCode).toBe(422);
    expect(renamed.json().errors[0].pointer).toBe('/slug');
    expect((await t.app.inject({ url: '/en/updates' })).body).toContain('id="pentest-2026"');
  });
});
