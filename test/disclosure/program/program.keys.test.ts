import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/http/actor.ts';
import { warnAboutExpiries } from '../../../src/disclosure/program/program.jobs.ts';
import { generateProgramKey, getActiveProgramKey } from '../../../src/disclosure/program/program.keys.ts';
import { disclosurePgpKeys } from '../../../src/disclosure/tables.ts';
import { loginAs, makeUser, type SignedIn } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';
import { DISCLOSURE_API, editDraft, giveSecurityContact, publish } from './program-helpers.ts';

const DAY_MS = 86_400_000;

async function protectedKey(passphrase: string) {
  const { privateKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: 'Imported', email: 'imported@acme.test' }],
    passphrase,
    format: 'armored',
  });
  return privateKey;
}

describe('the program’s OpenPGP keys', () => {
  let t: TestApp;
  let security: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    security = await loginAs(t.app, t.ctx, 'security');
  });
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url: `${DISCLOSURE_API}${url}`, headers: security.headers, payload });

  it('generates an ECC Curve25519 key for the company’s security address, sealed at rest', async () => {
    const res = await call('POST', '/program/keys', { expiresInDays: 400 });
    expect(res.statusCode, res.body).toBe(201);
    const key = res.json();
    expect(key.userIds).toEqual(['Attest Security <security@localhost>']);
    expect(key.algorithm).toBe('eddsaLegacy (ed25519Legacy)');
    expect(key.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(Date.parse(key.expiresAt) - Date.now()).toBeGreaterThan(399 * DAY_MS);
    const [row] = await t.ctx.database.db.select().from(disclosurePgpKeys);
    expect(row?.privateKeySealed).not.toContain('PGP PRIVATE KEY');
    const active = await getActiveProgramKey(t.ctx);
    expect(active?.fingerprint).toBe(key.fingerprint);
    expect(active?.privateKey.isDecrypted()).toBe(true);
    expect(await auditEntries(t.ctx, 'disclosure.pgp-key.generated')).toEqual([
      expect.objectContaining({
        targetId: key.id,
        details: expect.objectContaining({ fingerprint: key.fingerprint }),
      }),
    ]);
  });

  it('imports a protected key only with its passphrase, once, and makes it the active key', async () => {
    const armoredKey = await protectedKey('open sesame');
    const garbage = await call('POST', '/program/keys/import', { armoredKey: 'not a key' });
    expect(garbage.statusCode).toBe(422);
    expect(garbage.json().errors[0].pointer).toBe('/armoredKey');
    const without = await call('POST', '/program/keys/import', { armoredKey });
    expect(without.statusCode).toBe(422);
    expect(without.json().errors[0].pointer).toBe('/passphrase');
    const wrong = await call('POST', '/program/keys/import', { armoredKey, passphrase: 'wrong' });
    expect(wrong.statusCode).toBe(422);

    const imported = await call('POST', '/program/keys/import', { armoredKey, passphrase: 'open sesame' });
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json().userIds).toEqual(['Imported <imported@acme.test>']);
    expect(imported.json().expiresAt).toBeNull();
    expect((await getActiveProgramKey(t.ctx))?.fingerprint).toBe(imported.json().fingerprint);

    const again = await call('POST', '/program/keys/import', { armoredKey, passphrase: 'open sesame' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('disclosure-pgp-key-exists');
    expect(await auditEntries(t.ctx, 'disclosure.pgp-key.imported')).toHaveLength(1);
  });

  it('deactivates a key: it stays listed, the previous key becomes active again, and the change is audited', async () => {
    const listed = await call('GET', '/program/keys');
    const [newest, older] = listed.json().items as { id: string; fingerprint: string; active: boolean }[];
    expect(newest?.active && older?.active).toBe(true);
    const res = await call('DELETE', `/program/keys/${newest?.id}`);
    expect(res.statusCode).toBe(204);
    expect((await getActiveProgramKey(t.ctx))?.fingerprint).toBe(older?.fingerprint);
    const after = (await call('GET', '/program/keys')).json().items as { id: string; active: boolean }[];
    expect(after.find((k) => k.id === newest?.id)?.active).toBe(false);
    expect(await auditEntries(t.ctx, 'disclosure.pgp-key.deactivated')).toEqual([
      expect.objectContaining({ targetId: newest?.id, details: { fingerprint: newest?.fingerprint } }),
    ]);
    const unknown = await call('DELETE', '/program/keys/00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
  });

  it('warns owners, admins and the security team once, 30 days before a fixed Expires or a key expiry', async () => {
    const owner = await makeUser(t.ctx, { role: 'owner', locale: 'fr' });
    const compliance = await makeUser(t.ctx, { role: 'compliance' });
    // Only dates within 30 days count: the 400-day key generated above is not mentioned.
    const soon = await generateProgramKey(t.ctx, systemActor('test'), {
      name: 'Soon',
      email: 'soon@acme.test',
      expiresInDays: 10,
    });
    const saved = await editDraft(t.app, security.headers, (s) => {
      s.securityTxt.autoRenew = false;
      s.securityTxt.fixedExpires = new Date(Date.now() + 20 * DAY_MS).toISOString();
      return s;
    });
    expect(saved.statusCode, saved.body).toBe(200);
    await giveSecurityContact(t.ctx);
    await publish(t.app, security.headers);

    expect(await warnAboutExpiries(t.ctx)).toBe(2);
    const ownerMails = await queuedMails(t.ctx, owner.user.email);
    expect(ownerMails.map((m) => m.subject).sort()).toEqual([
      'Attest\u00a0: la clé OpenPGP du programme de divulgation expire bientôt',
      'Attest\u00a0: security.txt expire bientôt',
    ]);
    expect(ownerMails.find((m) => m.subject.includes('OpenPGP'))?.text).toContain(soon.fingerprint);
    expect(await queuedMails(t.ctx, security.made.user.email)).toHaveLength(2);
    expect(await queuedMails(t.ctx, compliance.user.email)).toHaveLength(0);

    // The daily job runs again: nothing new to say about the same dates.
    expect(await warnAboutExpiries(t.ctx)).toBe(0);
    expect(await warnAboutExpiries(t.ctx, new Date(Date.now() + DAY_MS))).toBe(0);
    expect(await queuedMails(t.ctx, owner.user.email)).toHaveLength(2);
  });
});
