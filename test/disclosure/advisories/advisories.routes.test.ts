import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMessageBody } from '../../../src/disclosure/reports/reports.sealing.ts';
import { disclosureAdvisories, disclosureMessages } from '../../../src/disclosure/tables.ts';
import {
  ADVISORIES_API,
  advisoryBody,
  createAdvisory,
  insertReport,
  publishAdvisory,
} from '../../fixtures/advisories.ts';
import { osvValidator, schemaErrors } from '../../fixtures/advisory-schemas.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';

const CNA_ORG = 'b3476cb9-2e3d-41a6-98d0-0f47421a65b6';

describe('advisories API', () => {
  let t: TestApp;
  let admin: SignedIn;
  let security: SignedIn;
  let auditor: SignedIn;
  let employee: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    [admin, security, auditor, employee] = await Promise.all([
      loginAs(t.app, t.ctx, 'admin'),
      loginAs(t.app, t.ctx, 'security'),
      loginAs(t.app, t.ctx, 'auditor'),
      loginAs(t.app, t.ctx, 'employee'),
    ]);
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: admin.headers,
      payload: { organizationName: 'Acme Corp' },
    });
    expect(renamed.statusCode).toBe(200);
  });
  afterAll(() => t?.close());

  it('creates a draft with an identifier from the organisation name, scores and audit', async () => {
    const created = await createAdvisory(t.app, security.headers);
    const year = new Date().getUTCFullYear();
    expect(created.identifier).toMatch(new RegExp(`^ACMECORP-${year}-\\d{4}$`));
    expect(created).toMatchObject({
      status: 'draft',
      revision: 1,
      publicUrl: null,
      cvssV3: { baseScore: 5.4, baseSeverity: 'MEDIUM' },
      cvssV4: { baseSeverity: expect.any(String) },
    });
    const next = await createAdvisory(t.app, security.headers);
    expect(Number(next.identifier.split('-')[2])).toBe(Number(created.identifier.split('-')[2]) + 1);
    const [entry] = (await auditEntries(t.ctx, 'disclosure.advisory.created')).filter(
      (e) => e.targetId === created.id,
    );
    expect(entry).toMatchObject({
      targetType: 'disclosure_advisory',
      details: { identifier: created.identifier },
    });
  });

  it('refuses invalid purls, CVSS vectors, CWE ids, ranges and unknown reports with 422', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ affected: [{ name: 'x', purl: 'npm/lodash', ranges: [{ introduced: '0' }] }] }, '/affected/0/purl'],
      [{ affected: [{ name: 'x', purl: 'pkg:npm', ranges: [{ introduced: '0' }] }] }, '/affected/0/purl'],
      [{ affected: [{ name: 'x', purl: 'pkg:npm/x', ranges: [] }] }, '/affected/0/ranges'],
      [
        {
          affected: [
            { name: 'x', purl: 'pkg:npm/x', ranges: [{ introduced: '0', fixed: '2', lastAffected: '1' }] },
          ],
        },
        '/affected/0/ranges/0/lastAffected',
      ],
      [{ cvssV3Vector: 'CVSS:3.1/AV:N/AC:L' }, '/cvssV3Vector'],
      [{ cvssV3Vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }, '/cvssV3Vector'],
      [{ cvssV4Vector: 'CVSS:4.0/AV:Z/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }, '/cvssV4Vector'],
      [{ cweIds: ['79'] }, '/cweIds/0'],
      [{ cveId: 'CVE-26-1' }, '/cveId'],
      [{ references: ['javascript:alert(1)'] }, '/references/0'],
      [{ credits: [{ name: 'x', type: 'hero' }] }, '/credits/0/type'],
      [{ reportId: '8d3c2a8e-6b1f-4b7a-9a53-2f1f0c1d2e3f' }, '/reportId'],
    ];
    for (const [overrides, pointer] of cases) {
      const response = await t.app.inject({
        method: 'POST',
        url: ADVISORIES_API,
        headers: security.headers,
        payload: advisoryBody(overrides),
      });
      expect(response.statusCode, JSON.stringify(overrides)).toBe(422);
      expect(response.json().code).toBe('validation-failed');
      expect(response.json().errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    }
  });

  it('refuses version ranges that hold no version or break the ecosystem’s version scheme, pointing at them', async () => {
    const product = (purl: string, ranges: object[], versions: string[] = []) => ({
      affected: [{ name: 'Acme product', purl, ranges, versions }],
    });
    const cases: [Record<string, unknown>, string][] = [
      [product('pkg:npm/x', [{ introduced: '2.0.0', fixed: '1.5.0' }]), '/affected/0/ranges/0/fixed'],
      [product('pkg:npm/x', [{ introduced: '1.5.0', fixed: '1.5.0' }]), '/affected/0/ranges/0/fixed'],
      [
        product('pkg:cargo/x', [
          { introduced: '1.0.0', fixed: '1.1.0' },
          { introduced: '3.0.0', lastAffected: '2.9.9' },
        ]),
        '/affected/0/ranges/1/lastAffected',
      ],
      [product('pkg:npm/x', [{ introduced: '1.0', fixed: '1.4.2' }]), '/affected/0/ranges/0/introduced'],
      [product('pkg:npm/x', [], ['not-a-version']), '/affected/0/versions/0'],
      [product('pkg:npm/x', [{ introduced: '1.0.0', fixed: '0' }]), '/affected/0/ranges/0/fixed'],
      // PEP 440: 2.0 comes after 2.0rc1, so a fix in 2.0rc1 of a flaw introduced in 2.0 is an empty range.
      [product('pkg:pypi/acme', [{ introduced: '2.0', fixed: '2.0rc1' }]), '/affected/0/ranges/0/fixed'],
      [product('pkg:pypi/acme', [{ introduced: '1.0', fixed: '1.x.y' }]), '/affected/0/ranges/0/fixed'],
      // RubyGems: 1.2.3.pre sorts before 1.2.3.
      [product('pkg:gem/acme', [{ introduced: '1.2.3', fixed: '1.2.3.pre' }]), '/affected/0/ranges/0/fixed'],
      // Without a scheme (Maven here), a range whose two ends are one version is still empty.
      [
        product('pkg:maven/org.acme/core', [{ introduced: '1.0-RC1', fixed: '1.0-RC1' }]),
        '/affected/0/ranges/0/fixed',
      ],
    ];
    for (const [overrides, pointer] of cases) {
      const response = await t.app.inject({
        method: 'POST',
        url: ADVISORIES_API,
        headers: security.headers,
        payload: advisoryBody(overrides),
      });
      expect(response.statusCode, JSON.stringify(overrides)).toBe(422);
      expect(response.json().errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    }
    const accepted = [
      product('pkg:npm/x', [{ introduced: '0', fixed: '1.0.0-beta.2' }]),
      product('pkg:golang/github.com/acme/cli', [{ introduced: 'v1.2.0', fixed: 'v1.10.0' }]),
      product('pkg:pypi/acme', [{ introduced: '2.0rc1', fixed: '2.0' }]),
      product('pkg:gem/acme', [{ introduced: '1.2.3.pre', lastAffected: '1.2.3' }]),
      product('pkg:maven/org.acme/core', [{ introduced: '1.0', fixed: '1.0.1' }]),
    ];
    for (const overrides of accepted) {
      const response = await t.app.inject({
        method: 'POST',
        url: ADVISORIES_API,
        headers: security.headers,
        payload: advisoryBody(overrides),
      });
      expect(response.statusCode, `${JSON.stringify(overrides)} ${response.body}`).toBe(201);
    }
    // A change is checked the same way.
    const advisory = await createAdvisory(t.app, security.headers);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `${ADVISORIES_API}/${advisory.id}`,
      headers: security.headers,
      payload: product('pkg:npm/x', [{ introduced: '2.0.0', fixed: '1.5.0' }]),
    });
    expect(patched.statusCode).toBe(422);
    expect(patched.json().errors.map((e: { pointer: string }) => e.pointer)).toContain(
      '/affected/0/ranges/0/fixed',
    );
  });

  it('does not publish or export as CVE an advisory saved earlier with an empty range', async () => {
    const advisory = await createAdvisory(t.app, security.headers);
    await t.ctx.database.db
      .update(disclosureAdvisories)
      .set({
        affected: [
          { name: 'Old', purl: 'pkg:npm/x', ranges: [{ introduced: '2.0.0', fixed: '1.5.0' }], versions: [] },
        ],
      })
      .where(eq(disclosureAdvisories.id, advisory.id));
    const cve = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}/${advisory.id}/export/cve5?cnaOrgId=${CNA_ORG}`,
      headers: admin.headers,
    });
    expect(cve.statusCode).toBe(409);
    expect(cve.body).toContain('/affected/0/ranges/0/fixed');
    const published = await publishAdvisory(t.app, admin.headers, advisory.id);
    expect(published.statusCode).toBe(409);
    expect(published.body).toContain('empty range');
  });

  it('lets the auditor read and export but not write; employees see nothing', async () => {
    const advisory = await createAdvisory(t.app, admin.headers);
    expect(
      (await t.app.inject({ method: 'GET', url: ADVISORIES_API, headers: auditor.headers })).statusCode,
    ).toBe(200);
    const exported = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}/${advisory.id}/export/osv`,
      headers: auditor.headers,
    });
    expect(exported.statusCode).toBe(200);
    for (const [method, url] of [
      ['POST', ADVISORIES_API],
      ['PATCH', `${ADVISORIES_API}/${advisory.id}`],
      ['DELETE', `${ADVISORIES_API}/${advisory.id}`],
      ['POST', `${ADVISORIES_API}/${advisory.id}/publish`],
      ['POST', `${ADVISORIES_API}/${advisory.id}/share`],
    ] as const) {
      const response = await t.app.inject({ method, url, headers: auditor.headers, payload: advisoryBody() });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().permission).toBe('disclosure.advisory.manage');
    }
    const denied = await t.app.inject({ method: 'GET', url: ADVISORIES_API, headers: employee.headers });
    expect(denied.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: ADVISORIES_API })).statusCode).toBe(401);
  });

  it('searches and pages the list, newest first', async () => {
    const marker = `Needle ${Date.now()}`;
    const made = [];
    for (let i = 0; i < 3; i += 1)
      made.push(await createAdvisory(t.app, admin.headers, { title: `${marker} ${i}` }));
    const first = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}?q=${encodeURIComponent(marker)}&limit=2`,
      headers: auditor.headers,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((a: { id: string }) => a.id)).toEqual([made[2]?.id, made[1]?.id]);
    const second = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}?q=${encodeURIComponent(marker)}&limit=2&cursor=${first.json().nextCursor}`,
      headers: auditor.headers,
    });
    expect(second.json()).toEqual({
      items: [expect.objectContaining({ id: made[0]?.id })],
      nextCursor: null,
    });
    const byIdentifier = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}?q=${made[1]?.identifier}`,
      headers: auditor.headers,
    });
    expect(byIdentifier.json().items.map((a: { id: string }) => a.id)).toEqual([made[1]?.id]);
    const badCursor = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}?cursor=zzz`,
      headers: admin.headers,
    });
    expect(badCursor.statusCode).toBe(422);
  });

  it('updates a draft (audited with what changed) and deletes it', async () => {
    const advisory = await createAdvisory(t.app, admin.headers);
    const updated = await t.app.inject({
      method: 'PATCH',
      url: `${ADVISORIES_API}/${advisory.id}`,
      headers: admin.headers,
      payload: { title: 'Renamed', cvssV3Vector: null },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ title: 'Renamed', cvssV3: null, revision: 1 });
    const [entry] = (await auditEntries(t.ctx, 'disclosure.advisory.updated')).filter(
      (e) => e.targetId === advisory.id,
    );
    expect(entry?.details.changed).toEqual(['title', 'cvssV3Vector']);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `${ADVISORIES_API}/${advisory.id}`,
      headers: admin.headers,
    });
    expect(removed.statusCode).toBe(204);
    const gone = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}/${advisory.id}`,
      headers: admin.headers,
    });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe('advisory-not-found');
    expect((await auditEntries(t.ctx, 'disclosure.advisory.deleted')).map((e) => e.targetId)).toContain(
      advisory.id,
    );
  });

  it('refuses to publish before the embargo unless forced, and an incomplete advisory', async () => {
    const embargoUntil = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const advisory = await createAdvisory(t.app, admin.headers, { embargoUntil });
    const refused = await publishAdvisory(t.app, admin.headers, advisory.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'advisory-embargoed', embargoUntil });
    const forced = await publishAdvisory(t.app, admin.headers, advisory.id, true);
    expect(forced.statusCode).toBe(200);
    expect(forced.json()).toMatchObject({ status: 'published', revision: 1 });
    expect(forced.json().publicUrl).toMatch(new RegExp(`/en/security/advisories/${advisory.identifier}$`));
    const [entry] = (await auditEntries(t.ctx, 'disclosure.advisory.published')).filter(
      (e) => e.targetId === advisory.id,
    );
    expect(entry?.details).toMatchObject({ forcedBeforeEmbargo: true, embargoUntil });
    const again = await publishAdvisory(t.app, admin.headers, advisory.id, true);
    expect(again.json().code).toBe('advisory-already-published');

    const past = await createAdvisory(t.app, admin.headers, {
      embargoUntil: new Date(Date.now() - 60_000).toISOString(),
    });
    expect((await publishAdvisory(t.app, admin.headers, past.id)).statusCode).toBe(200);

    const empty = await createAdvisory(t.app, admin.headers, { affected: [], summary: '', description: '' });
    const incomplete = await publishAdvisory(t.app, admin.headers, empty.id);
    expect(incomplete.statusCode).toBe(409);
    expect(incomplete.json().code).toBe('advisory-incomplete');
    expect(incomplete.json().missing).toHaveLength(2);
  });

  it('revises a published advisory (new revision in the CSAF history) and refuses to delete it', async () => {
    const advisory = await createAdvisory(t.app, admin.headers);
    expect((await publishAdvisory(t.app, admin.headers, advisory.id)).statusCode).toBe(200);
    const revised = await t.app.inject({
      method: 'PATCH',
      url: `${ADVISORIES_API}/${advisory.id}`,
      headers: admin.headers,
      payload: { summary: 'Clarified impact.', revisionSummary: 'Clarified the impact.' },
    });
    expect(revised.json()).toMatchObject({ status: 'published', revision: 2 });
    const [entry] = (await auditEntries(t.ctx, 'disclosure.advisory.revised')).filter(
      (e) => e.targetId === advisory.id,
    );
    expect(entry?.details).toMatchObject({
      revision: 2,
      summary: 'Clarified the impact.',
      changed: ['summary'],
    });
    const csaf = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}/${advisory.id}/export/csaf`,
      headers: admin.headers,
    });
    expect(csaf.json().document.tracking).toMatchObject({
      status: 'final',
      version: '2',
      revision_history: [
        { number: '1', summary: 'Initial public release.' },
        { number: '2', summary: 'Clarified the impact.' },
      ],
    });
    const removal = await t.app.inject({
      method: 'DELETE',
      url: `${ADVISORIES_API}/${advisory.id}`,
      headers: admin.headers,
    });
    expect(removal.statusCode).toBe(409);
    expect(removal.json().code).toBe('advisory-published');
  });

  it('shares a draft with the researcher: a team message on the report, a mail, status shared', async () => {
    const unlinked = await createAdvisory(t.app, admin.headers);
    const refused = await t.app.inject({
      method: 'POST',
      url: `${ADVISORIES_API}/${unlinked.id}/share`,
      headers: admin.headers,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('advisory-no-report');

    const email = `researcher-${Date.now()}@example.test`;
    const report = await insertReport(t.ctx, {
      status: 'fixing',
      reporter: { name: 'Zoë', email },
      locale: 'fr',
    });
    const advisory = await createAdvisory(t.app, admin.headers, { reportId: report.id });
    const shared = await t.app.inject({
      method: 'POST',
      url: `${ADVISORIES_API}/${advisory.id}/share`,
      headers: admin.headers,
    });
    expect(shared.statusCode).toBe(200);
    expect(shared.json().status).toBe('shared');
    const messages = await t.ctx.database.db
      .select()
      .from(disclosureMessages)
      .where(eq(disclosureMessages.reportId, report.id));
    expect(messages.map((m) => m.kind)).toEqual(['team']);
    const body = openMessageBody(t.ctx.keyring, messages[0]?.id as string, messages[0]?.bodySealed as string);
    expect(body).toContain(`Voici le projet d’avis de sécurité ${advisory.identifier}`);
    expect(body).toContain('Stored XSS in dashboard widgets');
    expect(await queuedMails(t.ctx, email)).toHaveLength(1);
    const [entry] = (await auditEntries(t.ctx, 'disclosure.advisory.shared')).filter(
      (e) => e.targetId === advisory.id,
    );
    expect(entry?.details).toMatchObject({ reportId: report.id, messageId: messages[0]?.id });
  });

  it('exports the four formats as files; the CVE record needs a CVE id and the CNA id', async () => {
    const advisory = await createAdvisory(t.app, admin.headers);
    for (const format of ['osv', 'csaf', 'cve5', 'github']) {
      const response = await t.app.inject({
        method: 'GET',
        url: `${ADVISORIES_API}/${advisory.id}/export/${format}?${format === 'cve5' ? `cnaOrgId=${CNA_ORG}` : ''}`,
        headers: admin.headers,
      });
      expect(response.statusCode, format).toBe(200);
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename=".+\.json"$/);
    }
    const osv = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}/${advisory.id}/export/osv`,
      headers: admin.headers,
    });
    expect(schemaErrors(osvValidator(), osv.json())).toEqual([]);
    const noOrg = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}/${advisory.id}/export/cve5`,
      headers: admin.headers,
    });
    expect(noOrg.statusCode).toBe(422);
    const noCve = await createAdvisory(t.app, admin.headers, { cveId: null });
    const refused = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}/${noCve.id}/export/cve5?cnaOrgId=${CNA_ORG}`,
      headers: admin.headers,
    });
    expect(refused.json().code).toBe('advisory-cve-id-missing');
    const unknownFormat = await t.app.inject({
      method: 'GET',
      url: `${ADVISORIES_API}/${advisory.id}/export/pdf`,
      headers: admin.headers,
    });
    expect(unknownFormat.statusCode).toBe(422);
  });
});
