import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type SignedIn, uniqueIp } from '../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

/** An empty required field says it is required, in the reader's language; a long one names its limit. */
describe('field errors of the API', () => {
  let t: TestApp;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin', { remoteAddress: uniqueIp() });
  });
  afterAll(() => t?.close());

  const fieldDetail = async (url: string, method: 'PATCH' | 'POST', payload: unknown, language: string) => {
    const res = await t.app.inject({
      method,
      url,
      remoteAddress: uniqueIp(),
      headers: { ...admin.headers, 'accept-language': language },
      payload: payload as Record<string, unknown>,
    });
    expect(res.statusCode).toBe(422);
    return (res.json().errors as { pointer: string; detail: string }[]).map((e) => [e.pointer, e.detail]);
  };

  it.each([
    ['en', 'Required: enter a value.', 'At most 200 characters.'],
    ['es', 'Obligatorio: introduce un valor.', 'Como máximo 200 caracteres.'],
    ['fr', 'Obligatoire\u00a0: saisissez une valeur.', '200 caractères au maximum.'],
  ])(
    'in %s: an empty name is required, a 201-character one too long',
    async (language, required, tooLong) => {
      expect(await fieldDetail('/api/v1/identity/me', 'PATCH', { name: '   ' }, language)).toEqual([
        ['/name', required],
      ]);
      expect(await fieldDetail('/api/v1/identity/me', 'PATCH', { name: 'x'.repeat(201) }, language)).toEqual([
        ['/name', tooLong],
      ]);
    },
  );

  it('says a missing required property is required, not "expected string, received undefined"', async () => {
    const details = await fieldDetail('/api/v1/identity/invitations', 'POST', { role: 'auditor' }, 'en');
    expect(details).toEqual([['/email', 'Required: enter a value.']]);
  });
});
