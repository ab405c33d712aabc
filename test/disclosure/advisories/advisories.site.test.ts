import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import { systemActor } from '../../../src/core/http/actor.ts';
import { generateProgramKey } from '../../../src/disclosure/program/program.keys.ts';
import { disclosureAdvisoryRevisions } from '../../../src/disclosure/tables.ts';
import { ADVISORIES_API, createAdvisory, insertReport, publishAdvisory } from '../../fixtures/advisories.ts';
import {
  csafMandatoryErrors,
  csafValidators,
  osvValidator,
  schemaErrors,
} from '../../fixtures/advisory-schemas.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';

const HOSTILE_MARKDOWN = [
  '## Impact',
  '',
  'Inline <script>alert(1)</script> and a block:',
  '',
  '<img src=x onerror="alert(2)">',
  '',
  '[click me](javascript:alert(3)) and [docs](https://docs.example/fix?a=1&b=2) and ![pic](https://x.example/p.png)',
  '',
  '`<b>code</b>` stays code.',
].join('\n');

describe('public advisory pages, OSV and the CSAF provider', () => {
  let t: TestApp;
  let admin: SignedIn;
  let published: { id: string; identifier: string };
  let draft: { id: string; identifier: string };

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    published = await createAdvisory(t.app, admin.headers, { description: HOSTILE_MARKDOWN });
    expect((await publishAdvisory(t.app, admin.headers, published.id)).statusCode).toBe(200);
    draft = await createAdvisory(t.app, admin.headers, { title: 'Secret draft title' });
  });
  afterAll(() => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });

  it('lists published advisories in three languages, never drafts', async () => {
    const titles = { en: 'Security advisories', es: 'Avisos de seguridad', fr: 'Avis de sécurité' };
    for (const [locale, title] of Object.entries(titles)) {
      const page = await get(`/${locale}/security/advisories`);
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['set-cookie']).toBeUndefined();
      expect(page.headers['content-security-policy']).toBeDefined();
      expect(page.body).toContain(`<html lang="${locale}"`);
      expect(page.body).toContain(`<h1>${title}</h1>`);
      expect(page.body).toContain(`href="/${locale}/security/advisories/${published.identifier}"`);
      expect(page.body).toContain('hreflang="x-default"');
      expect(page.body).not.toContain(draft.identifier);
      expect(page.body).not.toContain('Secret draft title');
    }
  });

  it('shows an advisory with localized labels, and 404s for drafts and unknown ids', async () => {
    const fr = await get(`/fr/security/advisories/${published.identifier}`);
    expect(fr.statusCode).toBe(200);
    expect(fr.body).toContain('<h1 lang="en">Stored XSS in dashboard widgets</h1>');
    expect(fr.body).toContain('Produits concernés');
    expect(fr.body).toContain('Score CVSS 3.1\u00a0: 5.4 (Moyenne)');
    expect(fr.body).toContain('Découverte par Zoë Researcher');
    expect(fr.body).toContain('Cet avis est rédigé en anglais.');
    const es = await get(`/es/security/advisories/${published.identifier}`);
    expect(es.body).toContain('Corregido en');
    expect(es.body).toContain('1.4.2');
    for (const url of [
      `/en/security/advisories/${draft.identifier}`,
      '/en/security/advisories/NOPE-2026-9999',
      '/en/security/advisories/not-an-id',
    ]) {
      const missing = await get(url);
      expect(missing.statusCode, url).toBe(404);
      expect(missing.headers['content-type']).toContain('text/html');
    }
  });

  it('renders the markdown description with raw HTML escaped and unsafe links dropped', async () => {
    const page = (await get(`/en/security/advisories/${published.identifier}`)).body;
    const details = page.slice(
      page.indexOf('class="advisory-details"'),
      page.indexOf('</div>', page.indexOf('advisory-details')),
    );
    expect(details).toContain('<h3>Impact</h3>');
    expect(details).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(details).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
    expect(details).not.toMatch(/<script|<img|onerror="|javascript:/i);
    expect(details).toContain('click me');
    expect(details).toContain(
      '<a href="https://docs.example/fix?a=1&amp;b=2" rel="nofollow noopener">docs</a>',
    );
    expect(details).toContain('<a href="https://x.example/p.png" rel="nofollow noopener">pic</a>');
    expect(details).toContain('<code>&lt;b&gt;code&lt;/b&gt;</code>');
  });

  it('answers with an ETag and 304 when unchanged, and shows a revision at once', async () => {
    const url = `/en/security/advisories/${published.identifier}`;
    const first = await get(url);
    const etag = first.headers.etag as string;
    expect((await get(url, { 'if-none-match': etag })).statusCode).toBe(304);
    const revised = await t.app.inject({
      method: 'PATCH',
      url: `${ADVISORIES_API}/${published.id}`,
      headers: admin.headers,
      payload: { summary: 'Now with a clearer summary.', revisionSummary: 'Clarified the summary.' },
    });
    expect(revised.statusCode).toBe(200);
    const after = await get(url, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Now with a clearer summary.');
    expect(after.body).toContain('Revision 2');
  });

  it('serves the OSV record at a stable URL, valid against the OSV schema', async () => {
    const response = await get(`/security/osv/${published.identifier}.json`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(schemaErrors(osvValidator(), response.json())).toEqual([]);
    expect(response.json().id).toBe(`x_${published.identifier}`);
    expect((await get(`/security/osv/${draft.identifier}.json`)).statusCode).toBe(404);
  });

  it('is a CSAF provider: metadata, index.txt, changes.csv, listings, valid documents and their hashes', async () => {
    const metadata = await get('/.well-known/csaf/provider-metadata.json');
    expect(metadata.statusCode).toBe(200);
    expect(schemaErrors(csafValidators().provider, metadata.json())).toEqual([]);
    const directory = metadata.json().distributions[0].directory_url as string;
    expect(directory).toBe(`${t.ctx.config.publicUrl}/.well-known/csaf/white/`);

    const index = await get('/.well-known/csaf/white/index.txt');
    const lines = index.body.trim().split('\n');
    const year = new Date().getUTCFullYear();
    expect(lines).toEqual([`${year}/${published.identifier.toLowerCase()}.json`]);
    const changes = await get('/.well-known/csaf/white/changes.csv');
    expect(changes.body).toMatch(
      new RegExp(`^"${lines[0]}","\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"\\n$`),
    );
    expect((await get('/.well-known/csaf/white/')).body).toContain(`href="${year}/"`);
    expect((await get(`/.well-known/csaf/white/${year}/`)).body).toContain(
      `href="${lines[0]?.split('/')[1]}"`,
    );

    const document = await get(`/.well-known/csaf/white/${lines[0]}`);
    expect(document.statusCode).toBe(200);
    expect(schemaErrors(csafValidators().document, document.json())).toEqual([]);
    expect(await csafMandatoryErrors(document.json())).toEqual([]);
    expect(document.json().document.tracking.id).toBe(published.identifier);
    const sha256 = await get(`/.well-known/csaf/white/${lines[0]}.sha256`);
    const digest = createHash('sha256').update(document.rawPayload).digest('hex');
    expect(sha256.body).toBe(`${digest}  ${lines[0]?.split('/')[1]}\n`);
    expect(
      (await get(`/.well-known/csaf/white/${year}/${draft.identifier.toLowerCase()}.json`)).statusCode,
    ).toBe(404);
  });
});

describe('published advisories are immutable, and their CSAF documents signed', () => {
  let t: TestApp;
  let admin: SignedIn;
  let advisory: { id: string; identifier: string };
  let fingerprint: string;
  let csafUrl: string;

  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const rename = async (organizationName: string) => {
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: admin.headers,
      payload: { organizationName },
    });
    expect(renamed.statusCode).toBe(200);
  };
  /** Everything public about the advisory, byte for byte. */
  const publicCopies = async () => {
    const urls = [
      csafUrl,
      `${csafUrl}.asc`,
      `${csafUrl}.sha256`,
      `/security/osv/${advisory.identifier}.json`,
      `/en/security/advisories/${advisory.identifier}`,
      '/.well-known/csaf/white/changes.csv',
    ];
    const bodies = await Promise.all(urls.map(async (url) => [url, (await get(url)).body] as const));
    const exported = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}/${advisory.id}/export/csaf`,
      headers: admin.headers,
    });
    return Object.fromEntries([...bodies, ['export', exported.body]]);
  };
  const verify = async (document: string, armoredSignature: string) => {
    const metadata = (await get('/.well-known/csaf/provider-metadata.json')).json();
    const [listed] = metadata.public_openpgp_keys as { fingerprint: string; url: string }[];
    expect(listed?.url.startsWith(t.ctx.config.publicUrl)).toBe(true);
    const keyFile = await get(new URL(listed?.url as string).pathname);
    expect(keyFile.statusCode).toBe(200);
    const verificationKeys = await openpgp.readKey({ armoredKey: keyFile.body });
    expect(verificationKeys.getFingerprint().toUpperCase()).toBe(listed?.fingerprint);
    const { signatures } = await openpgp.verify({
      message: await openpgp.createMessage({ binary: new TextEncoder().encode(document) }),
      signature: await openpgp.readSignature({ armoredSignature }),
      verificationKeys,
      expectSigned: true,
    });
    await expect(signatures[0]?.verified).resolves.toBe(true);
    return listed?.fingerprint;
  };

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    await rename('Acme Corp');
    fingerprint = (
      await generateProgramKey(t.ctx, systemActor('test'), {
        name: 'Acme PSIRT',
        email: 'psirt@acme.example',
        expiresInDays: null,
      })
    ).fingerprint;
    advisory = await createAdvisory(t.app, admin.headers);
    expect((await publishAdvisory(t.app, admin.headers, advisory.id)).statusCode).toBe(200);
    const index = await get('/.well-known/csaf/white/index.txt');
    csafUrl = `/.well-known/csaf/white/${index.body.trim()}`;
  });
  afterAll(() => t?.close());

  it('signs each CSAF document with the program key, listed in provider-metadata.json, served as application/json', async () => {
    const document = await get(csafUrl);
    expect(document.headers['content-type']).toBe('application/json');
    const metadata = await get('/.well-known/csaf/provider-metadata.json');
    expect(metadata.headers['content-type']).toBe('application/json');
    expect(schemaErrors(csafValidators().provider, metadata.json())).toEqual([]);
    const signature = await get(`${csafUrl}.asc`);
    expect(signature.statusCode).toBe(200);
    expect(signature.body).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    expect(await verify(document.body, signature.body)).toBe(fingerprint);
    // GnuPG, as CSAF tools run it, agrees: a detached signature over the file as downloaded.
    const metadata2 = (await get('/.well-known/csaf/provider-metadata.json')).json();
    const keyFile = await get(new URL(metadata2.public_openpgp_keys[0].url).pathname);
    const home = mkdtempSync(path.join(tmpdir(), 'attest-csaf-gpg-'));
    try {
      writeFileSync(path.join(home, 'key.asc'), keyFile.body);
      writeFileSync(path.join(home, 'doc.json'), document.rawPayload);
      writeFileSync(path.join(home, 'doc.json.asc'), signature.body);
      const env = { ...process.env, GNUPGHOME: home };
      const imported = spawnSync('/usr/bin/gpg', ['--batch', '--import', path.join(home, 'key.asc')], {
        env,
      });
      expect(imported.status, imported.stderr.toString()).toBe(0);
      const checked = spawnSync(
        '/usr/bin/gpg',
        ['--batch', '--verify', path.join(home, 'doc.json.asc'), path.join(home, 'doc.json')],
        { env },
      );
      expect(checked.status, checked.stderr.toString()).toBe(0);
      expect(checked.stderr.toString()).toContain('Good signature');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    // The signature covers these exact bytes: one changed byte fails.
    await expect(verify(`${document.body} `, signature.body)).rejects.toThrow();
    const year = csafUrl.split('/').at(-2);
    expect((await get(`/.well-known/csaf/white/${year}/`)).body).toContain(
      `${csafUrl.split('/').at(-1)}.asc`,
    );
  });

  it('does not change a published document when the organisation is renamed, not even after a restart', async () => {
    const before = await publicCopies();
    expect(before[csafUrl]).toContain('"name": "Acme Corp"');
    await rename('Renamed Inc');
    expect(await publicCopies()).toEqual(before);
    const restarted = await buildApp(t.ctx);
    try {
      const again = await restarted.inject({ method: 'GET', url: csafUrl });
      expect(again.body).toBe(before[csafUrl]);
      const osv = await restarted.inject({ method: 'GET', url: `/security/osv/${advisory.identifier}.json` });
      expect(osv.body).toBe(before[`/security/osv/${advisory.identifier}.json`]);
    } finally {
      await restarted.close();
    }
  });

  it('makes a change a new revision: its own tracking entry, changes.csv row, signature and publisher', async () => {
    const before = await publicCopies();
    const revised = await t.app.inject({
      method: 'PATCH',
      url: `${ADVISORIES_API}/${advisory.id}`,
      headers: admin.headers,
      payload: { summary: 'A clearer summary.', revisionSummary: 'Clarified the summary.' },
    });
    expect(revised.statusCode).toBe(200);
    const document = await get(csafUrl);
    expect(document.body).not.toBe(before[csafUrl]);
    const csaf = document.json();
    expect(schemaErrors(csafValidators().document, csaf)).toEqual([]);
    expect(await csafMandatoryErrors(csaf)).toEqual([]);
    expect(csaf.document.tracking.version).toBe('2');
    expect(csaf.document.tracking.revision_history).toEqual([
      expect.objectContaining({ number: '1', summary: 'Initial public release.' }),
      expect.objectContaining({ number: '2', summary: 'Clarified the summary.' }),
    ]);
    // The new revision is published by the organisation as it is named now.
    expect(csaf.document.publisher.name).toBe('Renamed Inc');
    const changes = (await get('/.well-known/csaf/white/changes.csv')).body;
    expect(changes).toBe(
      `"${csafUrl.replace('/.well-known/csaf/white/', '')}","${csaf.document.tracking.current_release_date}"\n`,
    );
    expect(changes).not.toBe(before['/.well-known/csaf/white/changes.csv']);
    const signature = (await get(`${csafUrl}.asc`)).body;
    expect(signature).not.toBe(before[`${csafUrl}.asc`]);
    expect(await verify(document.body, signature)).toBe(fingerprint);
  });
});

describe('advisories published before revisions were frozen', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  it('are frozen once at start, keeping their audited history, and then never change', async () => {
    const advisory = await createAdvisory(t.app, admin.headers);
    expect((await publishAdvisory(t.app, admin.headers, advisory.id)).statusCode).toBe(200);
    const revised = await t.app.inject({
      method: 'PATCH',
      url: `${ADVISORIES_API}/${advisory.id}`,
      headers: admin.headers,
      payload: { title: 'A better title', revisionSummary: 'Retitled.' },
    });
    expect(revised.statusCode).toBe(200);
    // As an install that published before this table existed: no frozen revision at all.
    await t.ctx.database.db
      .delete(disclosureAdvisoryRevisions)
      .where(eq(disclosureAdvisoryRevisions.advisoryId, advisory.id));
    const restarted = await buildApp(t.ctx);
    try {
      const index = await restarted.inject({ method: 'GET', url: '/.well-known/csaf/white/index.txt' });
      const url = `/.well-known/csaf/white/${index.body.trim()}`;
      const before = (await restarted.inject({ method: 'GET', url })).body;
      const tracking = JSON.parse(before).document.tracking;
      expect(tracking.version).toBe('2');
      expect(tracking.revision_history.map((r: { summary: string }) => r.summary)).toEqual([
        'Initial public release.',
        'Retitled.',
      ]);
      const renamed = await restarted.inject({
        method: 'PATCH',
        url: '/api/v1/settings',
        headers: admin.headers,
        payload: { organizationName: 'Someone Else' },
      });
      expect(renamed.statusCode).toBe(200);
      expect((await restarted.inject({ method: 'GET', url })).body).toBe(before);
      // And after yet another start, which caches nothing from before.
      const again = await buildApp(t.ctx);
      try {
        expect((await again.inject({ method: 'GET', url })).body).toBe(before);
      } finally {
        await again.close();
      }
    } finally {
      await restarted.close();
    }
  });
});

describe('the hall of fame', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
    const ctx = t.ctx;
    await insertReport(ctx, {
      reporter: { name: 'Ada Named', handle: 'ada' },
      creditPreference: 'name',
      resolvedAt: new Date('2025-06-01T00:00:00Z'),
    });
    await insertReport(ctx, {
      status: 'disclosed',
      reporter: { name: 'Bob Secret', handle: 'b0b' },
      creditPreference: 'handle',
      disclosedAt: new Date('2026-01-15T00:00:00Z'),
    });
    await insertReport(ctx, {
      reporter: { name: 'Anna Nonymous' },
      creditPreference: 'anonymous',
      resolvedAt: new Date('2026-02-01T00:00:00Z'),
    });
    await insertReport(ctx, {
      reporter: { name: 'Erased Person' },
      creditPreference: 'name',
      resolvedAt: new Date('2026-02-01T00:00:00Z'),
      erasedAt: new Date(),
    });
    await insertReport(ctx, {
      status: 'triaged',
      reporter: { name: 'Still Open' },
      creditPreference: 'name',
    });
  });
  afterAll(() => t?.close());

  it('lists only consenting researchers of resolved or disclosed reports, by year, in three languages', async () => {
    const titles = { en: 'Hall of fame', es: 'Cuadro de honor', fr: 'Tableau d’honneur' };
    for (const [locale, title] of Object.entries(titles)) {
      const page = await t.app.inject({ method: 'GET', url: `/${locale}/security/thanks` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<h1>${title}</h1>`);
      const body = page.body;
      expect(body).toContain('<li>Ada Named</li>');
      expect(body).toContain('<li>b0b</li>');
      expect(body).not.toContain('Bob Secret');
      expect(body).not.toContain('Anna Nonymous');
      expect(body).not.toContain('Erased Person');
      expect(body).not.toContain('Still Open');
      // Newest year first, each name under its year.
      expect(body.indexOf('id="year-2026"')).toBeLessThan(body.indexOf('id="year-2025"'));
      expect(body.indexOf('b0b')).toBeLessThan(body.indexOf('id="year-2025"'));
      expect(body.indexOf('Ada Named')).toBeGreaterThan(body.indexOf('id="year-2025"'));
    }
  });

  it('shows a newly resolved researcher without a restart', async () => {
    await insertReport(t.ctx, {
      reporter: { name: 'Late Arrival' },
      creditPreference: 'name',
      resolvedAt: new Date('2026-03-01T00:00:00Z'),
    });
    const page = await t.app.inject({ method: 'GET', url: '/en/security/thanks' });
    expect(page.body).toContain('<li>Late Arrival</li>');
  });
});
