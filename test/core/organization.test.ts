import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldsOf, publishWithContact } from '../disclosure/program/program-helpers.ts';
import { ADVISORIES_API, createAdvisory } from '../fixtures/advisories.ts';
import { loginAs, type SignedIn } from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../helpers/app.ts';

const PUBLIC_URL = 'https://trust.acme.test';

// One place for the organization's facts: one change shows on the trust center, the program's
// renders, mails and advisory exports alike, without a new publication.
describe("the organization's facts, one place", () => {
  let t: TestApp;
  let owner: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp({ env: { ATTEST_PUBLIC_URL: PUBLIC_URL } });
    owner = await loginAs(t.app, t.ctx, 'owner');
    const trust = await t.app.inject({
      method: 'POST',
      url: '/api/v1/trust/publish',
      headers: owner.headers,
    });
    expect(trust.statusCode, trust.body).toBe(201);
    await publishWithContact(t.app, owner.headers, 'security@acme.org');
  });
  afterAll(() => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('shows one new name and contact on the trust center, the program, a mail and a CSAF export after one change', async () => {
    const advisory = await createAdvisory(t.app, owner.headers);
    const changed = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: owner.headers,
      payload: { organizationName: 'Umbrella Labs', securityContact: 'psirt@umbrella.org' },
    });
    expect(changed.statusCode, changed.body).toBe(200);

    const trustHome = await get('/en/');
    expect(trustHome.statusCode).toBe(200);
    expect(trustHome.body).toContain('Umbrella Labs');
    expect(trustHome.body).toContain('psirt@umbrella.org');

    const policy = await get('/fr/security/policy');
    expect(policy.statusCode).toBe(200);
    expect(policy.body).toContain('Umbrella Labs');
    expect(policy.body).toContain('psirt@umbrella.org');
    expect(policy.body).not.toContain('security@acme.org');

    const securityTxt = await get('/.well-known/security.txt');
    expect(securityTxt.body).toContain('# Security contact information of Umbrella Labs');
    expect(fieldsOf(securityTxt.body).get('contact')).toContain('mailto:psirt@umbrella.org');

    const invited = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/invitations',
      headers: owner.headers,
      payload: { email: 'new.colleague@umbrella.org', role: 'security' },
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const [mail] = await queuedMails(t.ctx, 'new.colleague@umbrella.org');
    expect(`${mail?.subject}\n${mail?.text}`).toContain('Umbrella Labs');

    const csaf = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}/${advisory.id}/export/csaf`,
      headers: owner.headers,
    });
    expect(csaf.statusCode, csaf.body).toBe(200);
    expect(csaf.json().document.publisher).toMatchObject({ name: 'Umbrella Labs', namespace: PUBLIC_URL });
  });

  it('audits each change as settings.updated with the facts that changed', async () => {
    const entries = await auditEntries(t.ctx, 'settings.updated');
    expect(entries.at(-1)).toMatchObject({
      actorType: 'user',
      actorId: owner.made.user.id,
      details: { changes: { organizationName: 'Umbrella Labs', securityContact: 'psirt@umbrella.org' } },
    });
  });

  it('the trust profile edits the same facts: a name changed there is the organization name', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/trust/profile',
      headers: owner.headers,
      payload: { companyName: 'Umbrella' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const settings = await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: owner.headers });
    expect(settings.json().organizationName).toBe('Umbrella');
    expect((await get('/en/security/policy')).body).toContain('Umbrella');
  });
});
