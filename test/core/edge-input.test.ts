import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nulPointer } from '../../src/core/http/nul-guard.ts';
import { disclosureReports } from '../../src/disclosure/tables.ts';
import {
  fieldParts,
  postMultipart,
  publishIntakeProgram,
  REPORTS_API,
  reportBody,
  researcherEmail,
} from '../disclosure/intake/intake-helpers.ts';
import { postForm } from '../fixtures/access.ts';
import { loginAs, type SignedIn, uniqueIp } from '../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

/** What the French report form sends, valid in every field. */
function formFields(version: number): Record<string, string> {
  return {
    policyVersion: String(version),
    asset: 'app.example.com',
    category: 'cross-site-scripting',
    title: 'XSS stockée dans le nom affiché',
    description: 'Le nom affiché est inséré sans échappement.',
    steps: '',
    impact: '',
    name: 'Zoë',
    email: researcherEmail(),
    creditPreference: 'name',
    acceptPolicy: 'yes',
  };
}

describe('the edge refuses U+0000 (NUL) anywhere in a request: PostgreSQL text cannot hold it', () => {
  let t: TestApp;
  let admin: SignedIn;
  let version: number;
  const reportCount = async () =>
    (await t.ctx.database.db.select({ n: count() }).from(disclosureReports))[0]?.n ?? 0;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    version = await publishIntakeProgram(t.app, admin.headers);
  });
  afterAll(() => t?.close());

  it('finds NUL in nested values and keys, with a JSON pointer, without recursion', () => {
    expect(nulPointer({ a: [{ b: 'ok' }, { 'c/d': 'x\u0000' }] })).toBe('/a/1/c~1d');
    expect(nulPointer({ 'k\u0000': 1 })).toBe('/k\u0000');
    expect(nulPointer('plain')).toBeUndefined();
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    expect(nulPointer(deep)).toBe(`${'/0'.repeat(200_000)}`);
  });

  it('answers 422 validation-failed with a pointer for a JSON body (API report intake)', async () => {
    const before = await reportCount();
    const res = await t.app.inject({
      method: 'POST',
      url: REPORTS_API,
      remoteAddress: uniqueIp(),
      payload: { ...reportBody(version), description: 'Proof:\u0000 binary pasted here' },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      code: 'validation-failed',
      errors: [{ in: 'body', pointer: '/description' }],
    });
    expect(await reportCount()).toBe(before);
  });

  it('answers 422 for NUL in the query string and in a path parameter', async () => {
    const query = await t.app.inject({
      method: 'GET',
      url: '/api/v1/identity/invitations/lookup?token=abc%00def',
    });
    expect(query.statusCode, query.body).toBe(422);
    expect(query.json().errors).toEqual([expect.objectContaining({ in: 'querystring', pointer: '/token' })]);

    const path = await t.app.inject({ method: 'GET', url: `/en/security/follow/${'a'.repeat(40)}%00bc` });
    expect(path.statusCode).toBe(422);
    expect(path.headers['content-type']).toContain('text/html');
  });

  it('answers 422 for NUL in a multipart field of the API', async () => {
    const fields = { ...reportBody(version), reporter: undefined } as Record<string, unknown>;
    const res = await postMultipart(t.app, REPORTS_API, [
      {
        name: 'report',
        value: JSON.stringify({ ...fields, title: 'a\u0000b' }),
        contentType: 'application/json',
      },
    ]);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/title' })]);
  });

  it('shows a visitor of the report form a page in their language, never a 500 (url-encoded and multipart)', async () => {
    const before = await reportCount();
    const encoded = await postForm(t.app, '/fr/security/report', {
      ...formFields(version),
      description: 'Preuve :\u0000 binaire collé',
    });
    expect(encoded.statusCode, encoded.body).toBe(422);
    expect(encoded.headers['content-type']).toContain('text/html');
    expect(encoded.headers['content-language']).toBe('fr');
    expect(encoded.body).toContain('Un caractère que nous ne pouvons pas accepter');

    const multi = await postMultipart(
      t.app,
      '/es/security/report',
      fieldParts({ ...formFields(version), title: 'Título\u0000' }),
    );
    expect(multi.statusCode, multi.body).toBe(422);
    expect(multi.headers['content-language']).toBe('es');
    expect(multi.body).toContain('Un carácter que no podemos aceptar');

    const access = await postForm(t.app, '/en/access', { email: 'ana\u0000@example.com' });
    expect(access.statusCode).toBe(422);
    expect(access.headers['content-type']).toContain('text/html');
    expect(await reportCount()).toBe(before);
  });
});

describe('HTML form endpoints take form encodings only', () => {
  let t: TestApp;
  let admin: SignedIn;
  let version: number;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    version = await publishIntakeProgram(t.app, admin.headers);
  });
  afterAll(() => t?.close());

  const formEndpoints = [
    '/en/access',
    '/fr/subscriptions',
    '/es/documents/some-document/request',
    '/en/security/report',
    '/fr/security/portal',
    `/en/security/follow/${'A'.repeat(43)}/messages`,
    `/en/security/follow/${'A'.repeat(43)}/credit`,
  ];
  const jsonBodies = [
    { email: 5, name: ['x'], topics: { a: 1 }, description: null, body: true, creditPreference: 1 },
    { email: ['a@example.com', 7] },
    [1, 2, 3],
  ];

  it.each(formEndpoints)('%s refuses JSON and text with 415 as an HTML page', async (url) => {
    for (const payload of jsonBodies) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        remoteAddress: uniqueIp(),
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
      expect(res.statusCode, `${url} ${res.body.slice(0, 200)}`).toBe(415);
      expect(res.headers['content-type']).toContain('text/html');
    }
    const text = await t.app.inject({
      method: 'POST',
      url,
      remoteAddress: uniqueIp(),
      headers: { 'content-type': 'text/plain' },
      payload: 'email=a@example.com',
    });
    expect(text.statusCode).toBe(415);
  });

  it('still takes the url-encoded form', async () => {
    const res = await postForm(t.app, '/en/security/report', formFields(version));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
  });
});
