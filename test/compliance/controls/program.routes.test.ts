import { readFileSync } from 'node:fs';
import path from 'node:path';
import AjvDraft07 from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCatalog } from '../../../src/compliance/catalog/index.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../helpers/app.ts';

const control = bundledCatalog().controls.find((candidate) => candidate.evidence.length >= 1);
if (!control) throw new Error('empty catalog');
const base = '/api/v1/compliance';

describe('compliance program API', () => {
  let t: TestApp;
  let compliance: SignedIn;
  let auditor: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    compliance = await loginAs(t.app, t.ctx, 'compliance');
    auditor = await loginAs(t.app, t.ctx, 'auditor');
  });
  afterAll(() => t.close());

  const get = (url: string, who: SignedIn = auditor) =>
    t.app.inject({ method: 'GET', url, headers: who.headers });
  const write = (method: 'PATCH' | 'POST', url: string, payload: unknown, who: SignedIn = compliance) =>
    t.app.inject({ method, url, headers: who.headers, payload: payload as object });

  it('lists the catalog frameworks with readiness, and enables one (audited)', async () => {
    const listed = await get(`${base}/frameworks`);
    expect(listed.statusCode).toBe(200);
    const items = listed.json().items as {
      id: string;
      enabled: boolean;
      readiness: { share: number | null };
    }[];
    expect(items.map((item) => item.id).sort()).toEqual(
      bundledCatalog()
        .frameworks.map((f) => f.id)
        .sort(),
    );
    expect(items.find((item) => item.id === 'iso27001-2022')?.readiness.share).toBe(0);

    expect((await write('PATCH', `${base}/frameworks/iso27001-2022`, { enabled: true })).json()).toEqual({
      id: 'iso27001-2022',
      enabled: true,
    });
    const after = (await get(`${base}/frameworks`)).json().items as { id: string; enabled: boolean }[];
    expect(after.find((item) => item.id === 'iso27001-2022')?.enabled).toBe(true);
    expect(await auditEntries(t.ctx, 'compliance.framework.enabled')).toHaveLength(1);
    expect((await write('PATCH', `${base}/frameworks/nope`, { enabled: true })).statusCode).toBe(404);
    expect(
      (await write('PATCH', `${base}/frameworks/iso27001-2022`, { enabled: true }, auditor)).statusCode,
    ).toBe(403);
  });

  it('shows the catalog versions loaded and what each changed', async () => {
    const answer = await get(`${base}/catalog/upgrades`);
    expect(answer.statusCode).toBe(200);
    const [loaded] = answer.json().items;
    expect(loaded).toMatchObject({
      fromVersion: null,
      changes: { added: { frameworks: expect.any(Array) } },
    });
    expect(loaded.changes.added.controls).toHaveLength(bundledCatalog().controls.length);
  });

  it('serves a framework as an OSCAL catalog valid against NIST’s schema', async () => {
    const answer = await get(`${base}/frameworks/soc2-2017/oscal?locale=fr`);
    expect(answer.statusCode).toBe(200);
    const schema = JSON.parse(
      readFileSync(path.join(import.meta.dirname, '../../fixtures/oscal/oscal_catalog_schema.json'), 'utf8'),
    );
    const ajv = new AjvDraft07.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    validate(answer.json());
    expect(validate.errors ?? []).toEqual([]);
    expect(answer.json().catalog.metadata.title).toBeTruthy();
    expect((await get(`${base}/frameworks/nope/oscal`)).statusCode).toBe(404);
  });

  it('lists controls by page, search and status', async () => {
    const first = (await get(`${base}/controls?limit=5`)).json();
    expect(first.items).toHaveLength(5);
    expect(first.nextCursor).toBe('5');
    const second = (await get(`${base}/controls?limit=5&cursor=5`)).json();
    expect(second.items[0].id).not.toBe(first.items[0].id);
    const found = (await get(`${base}/controls?search=${encodeURIComponent(control.id)}`)).json();
    expect(found.items.map((item: { id: string }) => item.id)).toContain(control.id);
    const byTitle = (
      await get(`${base}/controls?search=${encodeURIComponent(control.title.fr.slice(0, 12))}`)
    ).json();
    expect(byTitle.items.map((item: { id: string }) => item.id)).toContain(control.id);
    const passing = (await get(`${base}/controls?status=passing`)).json();
    expect(passing.items).toEqual([]);
    expect((await get(`${base}/controls?status=green`)).statusCode).toBe(422);
  });

  it('marks a control not applicable only with a justification, and records the status change', async () => {
    const url = `${base}/controls/${control.id}`;
    const refused = await write('PATCH', url, { applicable: false });
    expect(refused.statusCode).toBe(422);
    const ok = await write('PATCH', url, {
      applicable: false,
      notApplicableReason: 'We have no offices of our own',
      ownerId: compliance.made.user.id,
      implementationNotes: 'Reviewed yearly',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'not_applicable',
      owner: { id: compliance.made.user.id },
      history: [{ from: 'not_started', to: 'not_applicable', cause: 'control' }],
    });
    const [entry] = await auditEntries(t.ctx, 'compliance.control.updated');
    expect(entry?.details).toMatchObject({
      applicable: false,
      notApplicableReason: 'We have no offices of our own',
    });
    const back = await write('PATCH', url, { applicable: true });
    expect(back.json()).toMatchObject({ status: 'not_started', notApplicableReason: null });
    expect((await write('PATCH', url, { ownerId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(
      422,
    );
    expect((await write('PATCH', `${base}/controls/XX-99`, { implementationNotes: 'x' })).statusCode).toBe(
      404,
    );
  });

  it('appends evidence to a control, derives its status and shows it in the detail (audited)', async () => {
    const now = new Date().toISOString();
    for (let index = 0; index < control.evidence.length; index += 1) {
      const added = await write('POST', `${base}/controls/${control.id}/evidence`, {
        requirementIndex: index,
        kind: 'link',
        title: 'Branch protection settings',
        url: 'https://github.com/example/app/settings/branches',
        coveredFrom: '2026-01-01',
        coveredTo: '2026-03-31',
        collectedAt: now,
      });
      expect(added.statusCode, added.body).toBe(201);
    }
    const detail = (await get(`${base}/controls/${control.id}`)).json();
    expect(detail.status).toBe('passing');
    expect(detail.evidence).toHaveLength(control.evidence.length);
    expect(
      detail.requiredEvidence.every((required: { expiresAt: string | null }) => required.expiresAt),
    ).toBe(true);
    expect(detail.history.at(-1)).toMatchObject({ to: 'passing', cause: 'evidence' });
    expect(await auditEntries(t.ctx, 'compliance.evidence.added')).toHaveLength(control.evidence.length);
    const noUrl = await write('POST', `${base}/controls/${control.id}/evidence`, {
      requirementIndex: 0,
      kind: 'link',
      title: 'x',
      coveredFrom: '2026-01-01',
      coveredTo: '2026-03-31',
      collectedAt: now,
    });
    expect(noUrl.statusCode).toBe(422);
    const passing = (await get(`${base}/controls?status=passing`)).json();
    expect(passing.items.map((item: { id: string }) => item.id)).toEqual([control.id]);
  });

  it('raises readiness for the requirements only the passing control maps to', async () => {
    const mappedBy = new Map<string, Set<string>>();
    for (const candidate of bundledCatalog().controls)
      for (const mapping of candidate.mappings) {
        const key = `${mapping.framework} ${mapping.requirement}`;
        mappedBy.set(key, (mappedBy.get(key) ?? new Set()).add(candidate.id));
      }
    const onlyThis = [...mappedBy].filter(([, ids]) => ids.size === 1 && ids.has(control.id));
    expect(onlyThis.length).toBeGreaterThan(0);
    const frameworks = (await get(`${base}/frameworks`)).json().items as {
      id: string;
      readiness: { met: number; applicable: number; share: number };
    }[];
    for (const framework of frameworks) {
      const expected = onlyThis.filter(([key]) => key.startsWith(`${framework.id} `)).length;
      expect(framework.readiness.met, framework.id).toBe(expected);
      if (expected > 0)
        expect(framework.readiness.share).toBeCloseTo(expected / framework.readiness.applicable);
    }
  });
});
