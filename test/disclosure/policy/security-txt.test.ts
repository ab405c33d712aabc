import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatSecurityTxt,
  type SecurityTxtInput,
  securityTxtExpires,
  securityTxtFields,
} from '../../../src/disclosure/policy/security-txt.ts';
import { defaultProgramSource } from '../../../src/disclosure/program/program.defaults.ts';
import { ProgramSource } from '../../../src/disclosure/program/program.schema.ts';
import { withOrganization } from '../../../src/disclosure/program/program.service.ts';
import { checkProgram } from '../../../src/disclosure/program/program.validation.ts';
import { disclosureAdvisories } from '../../../src/disclosure/tables.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import {
  DISCLOSURE_API,
  editDraft,
  fieldsOf,
  publish,
  publishWithContact,
  SECURITY_CONTACT,
  signedText,
} from '../program/program-helpers.ts';

const PUBLIC_URL = 'https://trust.acme.test';
const DAY_MS = 86_400_000;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const NOW = new Date('2026-03-10T15:30:00Z');

function source(edit: (s: ProgramSource) => void = () => undefined): ProgramSource {
  const s = ProgramSource.parse(
    defaultProgramSource({ companyName: 'Acme', defaultLocale: 'en', publicUrl: PUBLIC_URL }),
  );
  edit(s);
  return s;
}

function render(input: Partial<SecurityTxtInput> = {}): string {
  const full: SecurityTxtInput = { source: source(), publicUrl: PUBLIC_URL, now: NOW, csaf: false, ...input };
  return formatSecurityTxt(securityTxtFields(full), full.source.companyName);
}

const isUri = (value: string) => /^(https:\/\/[^\s]+|mailto:[^\s@]+@[^\s@]+)$/.test(value);

describe('security.txt fields (RFC 9116), as pure functions', () => {
  it('§2.5.3 Contact: at least one, each a mailto: or https: URI, the report form first', () => {
    const withContact = withOrganization(source(), { name: 'Acme', securityContact: SECURITY_CONTACT });
    const contacts = fieldsOf(render({ source: withContact })).get('contact') ?? [];
    expect(contacts.length).toBeGreaterThanOrEqual(1);
    for (const value of contacts) expect(isUri(value), value).toBe(true);
    expect(contacts).toEqual([`${PUBLIC_URL}/en/security/report`, `mailto:${SECURITY_CONTACT}`]);
  });

  it('the defaults invent no e-mail address: the only one is the security contact the owner gave', () => {
    expect(source().contacts.filter((contact) => contact.kind === 'email')).toEqual([]);
    const renamed = withOrganization(source(), { name: 'Umbrella', securityContact: 'psirt@umbrella.org' });
    expect(renamed.companyName).toBe('Umbrella');
    expect(renamed.contacts.map((contact) => contact.value)).toEqual([
      '/security/report',
      'mailto:psirt@umbrella.org',
    ]);
  });

  it('§2.5.5 Expires: exactly once, RFC 3339, in the future and less than a year ahead', () => {
    for (const expiresDays of [1, 180, 365]) {
      const text = render({
        source: source((s) => {
          s.securityTxt.expiresDays = expiresDays;
        }),
      });
      const values = fieldsOf(text).get('expires') ?? [];
      expect(values).toHaveLength(1);
      expect(values[0]).toMatch(RFC3339_UTC);
      const expires = Date.parse(values[0] as string);
      expect(expires).toBeGreaterThan(NOW.getTime());
      expect(expires).toBeLessThan(NOW.getTime() + 365 * DAY_MS);
    }
  });

  it('auto-renewal moves Expires with the day; a fixed date stays put', () => {
    const later = new Date(NOW.getTime() + 10 * DAY_MS);
    const renewed = source();
    expect(securityTxtExpires(renewed, later).getTime() - securityTxtExpires(renewed, NOW).getTime()).toBe(
      10 * DAY_MS,
    );
    expect(securityTxtExpires(renewed, NOW).toISOString()).toBe('2026-09-06T00:00:00.000Z');
    const fixed = source((s) => {
      s.securityTxt.autoRenew = false;
      s.securityTxt.fixedExpires = '2026-06-30T12:00:00Z';
    });
    expect(securityTxtExpires(fixed, NOW).toISOString()).toBe('2026-06-30T12:00:00.000Z');
    expect(securityTxtExpires(fixed, later).toISOString()).toBe('2026-06-30T12:00:00.000Z');
  });

  it('refuses a fixed Expires more than a year ahead, in the past, or missing without auto-renewal', () => {
    const pointer = '/securityTxt/fixedExpires';
    const tooFar = source((s) => {
      s.securityTxt.autoRenew = false;
      s.securityTxt.fixedExpires = new Date(NOW.getTime() + 400 * DAY_MS).toISOString();
    });
    expect(checkProgram(tooFar, NOW).map((e) => e.pointer)).toEqual([pointer]);
    const past = source((s) => {
      s.securityTxt.autoRenew = false;
      s.securityTxt.fixedExpires = '2026-01-01T00:00:00Z';
    });
    expect(checkProgram(past, NOW).map((e) => e.pointer)).toEqual([pointer]);
    const missing = source((s) => {
      s.securityTxt.autoRenew = false;
    });
    expect(checkProgram(missing, NOW).map((e) => e.pointer)).toEqual([pointer]);
    expect(() =>
      source((s) => {
        s.securityTxt.expiresDays = 366;
      }),
    ).not.toThrow();
    expect(ProgramSource.safeParse({ ...source(), securityTxt: { expiresDays: 366 } }).success).toBe(false);
  });

  it('§2.5.2 Canonical: the file’s own https URL under /.well-known/', () => {
    expect(fieldsOf(render()).get('canonical')).toEqual([`${PUBLIC_URL}/.well-known/security.txt`]);
  });

  it('§2.5.4 Encryption, §2.5.1 Acknowledgments, §2.5.7 Policy, §2.5.6 Hiring: https URIs', () => {
    const text = render({
      encryptionKeyUrl: `${PUBLIC_URL}/.well-known/pgp-key.txt`,
      source: source((s) => {
        s.securityTxt.hiringUrl = 'https://jobs.acme.test/security';
      }),
    });
    const fields = fieldsOf(text);
    expect(fields.get('encryption')).toEqual([`${PUBLIC_URL}/.well-known/pgp-key.txt`]);
    expect(fields.get('acknowledgments')).toEqual([`${PUBLIC_URL}/en/security/thanks`]);
    expect(fields.get('policy')).toEqual([`${PUBLIC_URL}/en/security/policy`]);
    expect(fields.get('hiring')).toEqual(['https://jobs.acme.test/security']);
    for (const name of ['encryption', 'acknowledgments', 'policy', 'hiring']) {
      for (const value of fields.get(name) ?? []) expect(isUri(value), `${name}: ${value}`).toBe(true);
    }
    expect(fieldsOf(render()).has('encryption')).toBe(false);
    expect(fieldsOf(render()).has('hiring')).toBe(false);
  });

  it('§2.5.8 Preferred-Languages: at most once, comma-separated language tags', () => {
    const text = render({
      source: source((s) => {
        s.preferredLanguages = ['fr', 'en', 'fr'];
      }),
    });
    const values = fieldsOf(text).get('preferred-languages') ?? [];
    expect(values).toEqual(['fr, en']);
    expect(values[0]).toMatch(/^[a-z]{2,3}(-[A-Za-z0-9]+)*(, [a-z]{2,3}(-[A-Za-z0-9]+)*)*$/);
  });

  it('names the CSAF provider metadata only once advisories are published', () => {
    expect(fieldsOf(render({ csaf: false })).has('csaf')).toBe(false);
    expect(fieldsOf(render({ csaf: true })).get('csaf')).toEqual([
      `${PUBLIC_URL}/.well-known/csaf/provider-metadata.json`,
    ]);
  });

  it('§2.2 lines end alike (LF, no CR), every line a comment or a field, no value breaking a line', () => {
    const text = render({
      source: source((s) => {
        s.companyName = 'Acme\r\nExpires: never';
      }),
    });
    expect(text).not.toContain('\r');
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^(# .*|[A-Za-z-]+: \S.*)$/);
    expect(fieldsOf(text).get('expires')).toHaveLength(1);
  });
});

describe('security.txt over HTTP', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp({ env: { ATTEST_PUBLIC_URL: PUBLIC_URL } });
    admin = await loginAs(t.app, t.ctx, 'admin');
    await publishWithContact(t.app, admin.headers);
  });
  afterAll(() => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('§3 is served at /.well-known/security.txt as text/plain; charset=utf-8, and /security.txt redirects there', async () => {
    const res = await get('/.well-known/security.txt');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(fieldsOf(res.body).get('canonical')).toEqual([`${PUBLIC_URL}/.well-known/security.txt`]);
    const expires = fieldsOf(res.body).get('expires')?.[0] as string;
    const midnight = new Date();
    midnight.setUTCHours(0, 0, 0, 0);
    expect(Date.parse(expires)).toBe(midnight.getTime() + 180 * DAY_MS);
    const again = await t.app.inject({
      method: 'GET',
      url: '/.well-known/security.txt',
      headers: { 'if-none-match': res.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);

    const legacy = await get('/security.txt');
    expect(legacy.statusCode).toBe(301);
    expect(legacy.headers.location).toBe('/.well-known/security.txt');
  });

  it('refuses a fixed Expires over a year ahead with 422 problem+json', async () => {
    const res = await editDraft(t.app, admin.headers, (s) => {
      s.securityTxt.autoRenew = false;
      s.securityTxt.fixedExpires = new Date(Date.now() + 366 * DAY_MS).toISOString();
      return s;
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors).toEqual([
      expect.objectContaining({ pointer: '/securityTxt/fixedExpires', in: 'body' }),
    ]);
  });

  it('is an OpenPGP cleartext-signed message that gpg --verify and openpgp.js accept, once a key exists', async () => {
    const generated = await t.app.inject({
      method: 'POST',
      url: `${DISCLOSURE_API}/program/keys`,
      headers: admin.headers,
      payload: { expiresInDays: 365 },
    });
    expect(generated.statusCode, generated.body).toBe(201);
    const fingerprint = generated.json().fingerprint as string;

    const signed = (await get('/.well-known/security.txt')).body;
    expect(signed.startsWith('-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n')).toBe(true);
    expect(signed).toContain('-----BEGIN PGP SIGNATURE-----');
    expect(signed).not.toContain('\r');
    expect(fieldsOf(signed).get('encryption')).toEqual([`${PUBLIC_URL}/.well-known/pgp-key.txt`]);
    expect(fieldsOf(signed).get('expires')).toHaveLength(1);

    const keyFile = await get('/.well-known/pgp-key.txt');
    expect(keyFile.statusCode).toBe(200);
    expect(keyFile.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(keyFile.body).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expect(keyFile.body).not.toContain('PRIVATE');

    const publicKey = await openpgp.readKey({ armoredKey: keyFile.body });
    expect(publicKey.getFingerprint().toUpperCase()).toBe(fingerprint);
    const verified = await openpgp.verify({
      message: await openpgp.readCleartextMessage({ cleartextMessage: signed }),
      verificationKeys: publicKey,
    });
    await expect(verified.signatures[0]?.verified).resolves.toBe(true);
    expect(verified.data.replace(/\r\n/g, '\n').trimEnd()).toBe(signedText(signed).trimEnd());

    const home = mkdtempSync(path.join(tmpdir(), 'attest-gpg-'));
    try {
      writeFileSync(path.join(home, 'key.asc'), keyFile.body);
      writeFileSync(path.join(home, 'security.txt'), signed);
      const env = { ...process.env, GNUPGHOME: home };
      const imported = spawnSync('/usr/bin/gpg', ['--batch', '--import', path.join(home, 'key.asc')], {
        env,
      });
      expect(imported.status, imported.stderr.toString()).toBe(0);
      const verify = spawnSync('/usr/bin/gpg', ['--batch', '--verify', path.join(home, 'security.txt')], {
        env,
      });
      expect(verify.status, verify.stderr.toString()).toBe(0);
      expect(verify.stderr.toString()).toContain('Good signature');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('adds the CSAF field once an advisory is published', async () => {
    expect(fieldsOf((await get('/.well-known/security.txt')).body).has('csaf')).toBe(false);
    await t.ctx.database.db.insert(disclosureAdvisories).values({
      identifier: 'ATTEST-2026-0001',
      title: 'Draft advisory',
      status: 'draft',
    });
    // Another module publishes advisories: the file notices within the revalidation window (2 s).
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(fieldsOf((await get('/.well-known/security.txt')).body).has('csaf')).toBe(false);
    await t.ctx.database.db.insert(disclosureAdvisories).values({
      identifier: 'ATTEST-2026-0002',
      title: 'Published advisory',
      status: 'published',
      publishedAt: new Date(),
    });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const fields = fieldsOf((await get('/.well-known/security.txt')).body);
    expect(fields.get('csaf')).toEqual([`${PUBLIC_URL}/.well-known/csaf/provider-metadata.json`]);
  });

  it('takes the Hiring URL and a new Expires policy from the next published version', async () => {
    const saved = await editDraft(t.app, admin.headers, (s) => {
      s.securityTxt = {
        expiresDays: 30,
        autoRenew: true,
        fixedExpires: null,
        hiringUrl: 'https://jobs.acme.test/',
      };
      return s;
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(fieldsOf((await get('/.well-known/security.txt')).body).has('hiring')).toBe(false);
    await publish(t.app, admin.headers);
    const fields = fieldsOf((await get('/.well-known/security.txt')).body);
    expect(fields.get('hiring')).toEqual(['https://jobs.acme.test/']);
    const midnight = new Date();
    midnight.setUTCHours(0, 0, 0, 0);
    expect(Date.parse(fields.get('expires')?.[0] as string)).toBe(midnight.getTime() + 30 * DAY_MS);
  });
});

describe('a fresh install publishes nothing with a placeholder contact', () => {
  let t: TestApp;
  let owner: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp({ env: { ATTEST_PUBLIC_URL: 'http://localhost:3000' } });
    owner = await loginAs(t.app, t.ctx, 'owner');
  });
  afterAll(() => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('answers 404 for security.txt, the policy, SECURITY.md and the report form until the first publish', async () => {
    for (const url of [
      '/.well-known/security.txt',
      '/en/security/policy',
      '/fr/security/policy',
      '/en/security/report',
      `${DISCLOSURE_API}/policy.md`,
    ]) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
    const versions = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/program/versions`,
      headers: owner.headers,
    });
    expect(versions.statusCode).toBe(200);
    expect(JSON.stringify(versions.json())).not.toContain('"version":1');
  });

  it('refuses to publish without a security contact, or with a placeholder one, with a 422 problem', async () => {
    const refused = await t.app.inject({
      method: 'POST',
      url: `${DISCLOSURE_API}/program/publish`,
      headers: owner.headers,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('disclosure-security-contact-missing');
    for (const placeholder of ['security@localhost', 'security@example.com', 'security@acme.test']) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: '/api/v1/settings',
        headers: owner.headers,
        payload: { securityContact: placeholder },
      });
      expect(res.statusCode, placeholder).toBe(422);
      expect(res.json().code).toBe('validation-failed');
    }
    expect((await get('/.well-known/security.txt')).statusCode).toBe(404);
    const draft = await t.app.inject({
      method: 'GET',
      url: `${DISCLOSURE_API}/program/draft`,
      headers: owner.headers,
    });
    expect(JSON.stringify(draft.json().source.assets)).not.toContain('localhost');
  });

  it('once the owner gave a real contact and published, security.txt validates and names that contact', async () => {
    const facts = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: owner.headers,
      payload: { organizationName: 'Acme', publicUrl: 'https://trust.acme.org/' },
    });
    expect(facts.statusCode, facts.body).toBe(200);
    expect(facts.json().publicUrl).toBe('https://trust.acme.org');
    await publishWithContact(t.app, owner.headers, 'psirt@acme.org');
    const res = await get('/.well-known/security.txt');
    expect(res.statusCode).toBe(200);
    const fields = fieldsOf(res.body);
    expect(fields.get('canonical')).toEqual(['https://trust.acme.org/.well-known/security.txt']);
    for (const name of ['acknowledgments', 'policy', 'canonical']) {
      for (const value of fields.get(name) ?? []) expect(value, name).toMatch(/^https:\/\//);
    }
    expect(res.body).toContain('# Security contact information of Acme');
    expect(fields.get('contact')).toContain('mailto:psirt@acme.org');
    for (const value of fields.get('contact') ?? []) expect(isUri(value), value).toBe(true);
    expect(fields.get('expires')).toHaveLength(1);
    expect(res.body).not.toContain('security@localhost');
    expect((await get('/en/security/policy')).body).toContain('psirt@acme.org');
  });
});
