import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/http/actor.ts';
import { saveSettings } from '../../src/core/settings/settings.service.ts';
import { isPlaceholderAddress } from '../../src/disclosure/home.attention.ts';
import { createApiToken } from '../../src/identity/api-tokens.service.ts';
import { permissions, roles } from '../../src/identity/permissions.ts';
import { trustAccessRequests, trustDocuments, trustSections, trustVisitors } from '../../src/trust/tables.ts';
import { editDraft, publish } from '../disclosure/program/program-helpers.ts';
import { forceState, makeReport } from '../disclosure/triage/triage-helpers.ts';
import { loginAs, uniqueIp } from '../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const DAY_MS = 86_400_000;
type Home = {
  onboarding: { key: string; done: boolean; path: string }[];
  attention: { key: string; count: number; path: string }[];
};

/** Which permission each answer needs (the contract the endpoint must keep, role by role). */
const ATTENTION_PERMISSION: Record<string, keyof typeof permissions> = {
  reportsBreached: 'disclosure.report.read',
  reportsDue: 'disclosure.report.read',
  accessRequestsPending: 'trust.access.read',
  documentsExpiring: 'trust.content.read',
};
const ONBOARDING_PERMISSION: Record<string, keyof typeof permissions> = {
  organization: 'settings.manage',
  defaultTexts: 'trust.content.manage',
  securityContact: 'disclosure.program.manage',
  publishTrustCenter: 'trust.content.manage',
  publishProgram: 'disclosure.program.manage',
  inviteTeam: 'identity.invitation.manage',
  mail: 'settings.manage',
};
const allowed = (permission: keyof typeof permissions, role: string) =>
  (permissions[permission] as readonly string[]).includes(role);

describe('GET /api/v1/home', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  async function homeAs(role: (typeof roles)[number]): Promise<Home> {
    const session = await loginAs(t.app, t.ctx, role, { remoteAddress: uniqueIp() });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/home', headers: session.headers });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  it('refuses anonymous callers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/home' });
    expect(res.statusCode).toBe(401);
  });

  it('on a fresh install, lists every onboarding step as not done, each linking to its screen', async () => {
    // The owner signing in is the only user, nothing is published, mail is in outbox mode.
    const home = await homeAs('owner');
    expect(home.onboarding.map((step) => [step.key, step.done])).toEqual([
      ['organization', false],
      ['defaultTexts', false],
      ['securityContact', false],
      ['publishTrustCenter', false],
      ['publishProgram', false],
      ['inviteTeam', false],
      ['mail', false],
    ]);
    expect(Object.fromEntries(home.onboarding.map((s) => [s.key, s.path]))).toEqual({
      organization: '/settings',
      defaultTexts: '/trust/content',
      securityContact: '/disclosure/program',
      publishTrustCenter: '/trust/content',
      publishProgram: '/disclosure/program',
      inviteTeam: '/users',
      mail: '/settings',
    });
  });

  it('gives each role, by session and by API token, only the steps and counts its permissions allow', async () => {
    for (const role of roles) {
      const expectedAttention = Object.keys(ATTENTION_PERMISSION).filter((key) =>
        allowed(ATTENTION_PERMISSION[key] as keyof typeof permissions, role),
      );
      const expectedSteps = Object.keys(ONBOARDING_PERMISSION).filter((key) =>
        allowed(ONBOARDING_PERMISSION[key] as keyof typeof permissions, role),
      );
      const bySession = await homeAs(role);
      const { token } = await createApiToken(t.ctx, systemActor('home test'), {
        name: `home ${role}`,
        role,
        expiresInDays: 1,
      });
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/home',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(200);
      for (const home of [bySession, res.json() as Home]) {
        expect(home.attention.map((a) => a.key).sort(), role).toEqual([...expectedAttention].sort());
        expect(home.onboarding.map((s) => s.key).sort(), role).toEqual([...expectedSteps].sort());
      }
    }
    // The contract above is not empty: an employee sees nothing, a security engineer reports only.
    expect((await homeAs('employee')).attention).toEqual([]);
    expect((await homeAs('security')).attention.map((a) => a.key)).toEqual(['reportsBreached', 'reportsDue']);
  });

  it('counts reports due and breached, pending access requests and expiring documents', async () => {
    const now = Date.now();
    await makeReport(t.ctx); // fresh: a first response is due in some business days
    await makeReport(t.ctx);
    const late = await makeReport(t.ctx);
    await forceState(t.ctx, late, { responseDueAt: new Date(now - DAY_MS) });
    const answered = await makeReport(t.ctx);
    await forceState(t.ctx, answered, { firstResponseAt: new Date() });
    const closed = await makeReport(t.ctx);
    await forceState(t.ctx, closed, {
      status: 'informative',
      closedAt: new Date(),
      responseDueAt: new Date(now - DAY_MS),
    });

    const db = t.ctx.database.db;
    const [visitor] = await db
      .insert(trustVisitors)
      .values({ email: 'visitor@customer.test', name: 'V', company: 'Customer' })
      .returning();
    const visitorId = visitor?.id as string;
    await db.insert(trustAccessRequests).values([
      { visitorId, reason: 'due diligence', status: 'pending' },
      { visitorId, reason: 'again', status: 'pending' },
      { visitorId, reason: 'done', status: 'approved' },
      { visitorId, reason: 'unconfirmed', status: 'unconfirmed' },
    ]);
    const day = (offset: number) => new Date(now + offset * DAY_MS).toISOString().slice(0, 10);
    await db.insert(trustDocuments).values([
      { slug: 'soc2', title: { en: 'SOC 2' }, accessLevel: 'nda', validUntil: day(10) },
      { slug: 'pentest', title: { en: 'Pentest' }, accessLevel: 'request', validUntil: day(-3) },
      { slug: 'iso', title: { en: 'ISO' }, accessLevel: 'request', validUntil: day(200) },
      { slug: 'policy', title: { en: 'Policy' }, accessLevel: 'public' },
      {
        slug: 'old',
        title: { en: 'Old' },
        accessLevel: 'public',
        validUntil: day(1),
        archivedAt: new Date(),
      },
    ]);

    const counts = (home: Home) => Object.fromEntries(home.attention.map((a) => [a.key, a.count]));
    expect(counts(await homeAs('owner'))).toEqual({
      reportsBreached: 1,
      reportsDue: 2,
      accessRequestsPending: 2,
      documentsExpiring: 2,
    });
    expect((await homeAs('owner')).attention.find((a) => a.key === 'reportsBreached')?.path).toBe(
      '/disclosure/reports?overdue=true',
    );
    expect(counts(await homeAs('compliance'))).toEqual({ accessRequestsPending: 2, documentsExpiring: 2 });
  });

  it('marks steps done from the real state: name, texts, contact, publications, team, mail', async () => {
    const owner = await loginAs(t.app, t.ctx, 'owner', { remoteAddress: uniqueIp() });
    const headers = owner.headers;
    await saveSettings(t.ctx.database.db, { organizationName: 'Acme Corp' });
    // Opening the trust center's draft seeds the shipped texts; the team then rewrites them.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/trust/profile', headers })).statusCode).toBe(
      200,
    );
    expect((await homeAs('owner')).onboarding.find((s) => s.key === 'defaultTexts')?.done).toBe(false);
    await t.ctx.database.db
      .update(trustSections)
      .set({ body: { en: 'We encrypt everything and say only what is true.' } })
      .where(inArray(trustSections.kind, ['narrative', 'how_compliant', 'out_of_compliance']));
    const edited = await editDraft(t.app, headers, (source) => {
      source.contacts = [{ kind: 'email', value: 'mailto:security@acme.example.org', label: {} }];
      return source;
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const stillPlaceholder = await homeAs('owner');
    // example.org is a placeholder domain too: the contact step stays open.
    expect(stillPlaceholder.onboarding.find((s) => s.key === 'securityContact')?.done).toBe(false);
    await editDraft(t.app, headers, (source) => {
      source.contacts = [{ kind: 'email', value: 'mailto:security@acme.io', label: {} }];
      return source;
    });
    await publish(t.app, headers);
    const trust = await t.app.inject({ method: 'POST', url: '/api/v1/trust/publish', headers });
    expect(trust.statusCode, trust.body).toBe(201);

    const home = await homeAs('owner');
    expect(home.onboarding.map((step) => [step.key, step.done])).toEqual([
      ['organization', true],
      ['defaultTexts', true],
      ['securityContact', true],
      ['publishTrustCenter', true],
      ['publishProgram', true],
      ['inviteTeam', true], // the earlier tests signed other users in
      ['mail', false], // tests run with the outbox
    ]);
  });
});

describe('placeholder security contacts', () => {
  it('treats localhost, machine names, IP literals and reserved example domains as placeholders', () => {
    for (const address of [
      'mailto:security@localhost',
      'mailto:security@127.0.0.1',
      'mailto:security@[::1]',
      'security@attest-box',
      'mailto:security@acme.example.com',
      'mailto:security@app.localhost',
      'mailto:security@acme.test',
      'mailto:nobody',
    ])
      expect(isPlaceholderAddress(address), address).toBe(true);
    for (const address of ['mailto:security@acme.io', 'security@sub.acme.co.uk'])
      expect(isPlaceholderAddress(address), address).toBe(false);
  });
});
