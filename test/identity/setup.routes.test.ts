import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrganization } from '../../src/core/settings/index.ts';
import { issueSetupLink } from '../../src/identity/setup.service.ts';
import { users } from '../../src/identity/tables.ts';
import { currentTotp } from '../../src/identity/totp.ts';
import { cookieFrom, uniqueIp } from '../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../helpers/app.ts';

const SETUP = '/api/v1/identity/setup';
const OWNER = { email: 'Owner@Example.test', name: 'First Owner', password: 'a long enough passphrase' };

const ORGANIZATION = {
  name: 'Acme',
  publicUrl: 'https://trust.acme.org/',
  securityContact: 'security@acme.org',
};

const tokenOf = (link: string) => new URL(link).searchParams.get('token') as string;

function post(app: FastifyInstance, url: string, payload: Record<string, unknown>) {
  return app.inject({ method: 'POST', url, remoteAddress: uniqueIp(), payload });
}

/** A fresh setup link and its TOTP secret (step 1 done). */
async function startSetup(t: TestApp): Promise<{ token: string; secret: string }> {
  const link = await issueSetupLink(t.ctx);
  if (!link) throw new Error('no setup link: an owner exists already');
  const token = tokenOf(link);
  const res = await post(t.app, `${SETUP}/totp`, { token });
  expect(res.statusCode).toBe(200);
  return { token, secret: res.json().secret };
}

describe('first-run setup', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it('reports that setup is needed while there is no user', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${SETUP}/status` });
    // The public URL comes along so the setup form can pre-fill it for the owner to confirm.
    expect(res.json()).toEqual({ needed: true, publicUrl: t.ctx.config.publicUrl });
  });

  it('issues a one-time link under the public URL', async () => {
    const link = await issueSetupLink(t.ctx);
    expect(link).toMatch(new RegExp(`^${t.ctx.config.publicUrl}/app/setup\\?token=[\\w-]{40,}$`));
  });

  it('answers setup/totp with a TOTP secret, an otpauth URL and a QR code', async () => {
    const link = await issueSetupLink(t.ctx);
    const res = await post(t.app, `${SETUP}/totp`, { token: tokenOf(link as string) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      secret: expect.stringMatching(/^[A-Z2-7]{16,}$/),
      otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\//),
      qrDataUrl: expect.stringMatching(/^data:image\/png;base64,/),
    });
  });

  it('refuses an unknown token with 404 setup-token-invalid', async () => {
    const res = await post(t.app, `${SETUP}/totp`, { token: 'x'.repeat(43) });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('setup-token-invalid');
  });

  it('stops an older link from working once a newer one is issued', async () => {
    const older = tokenOf((await issueSetupLink(t.ctx)) as string);
    await issueSetupLink(t.ctx);
    const res = await post(t.app, `${SETUP}/totp`, { token: older });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('setup-token-invalid');
  });

  it('refuses a wrong TOTP code with 401 invalid-code and creates nobody', async () => {
    const { token, secret } = await startSetup(t);
    const wrong = String((Number(currentTotp(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    const res = await post(t.app, SETUP, { ...OWNER, token, totpCode: wrong });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid-code');
    expect(await t.ctx.database.db.select().from(users)).toEqual([]);
  });

  it('refuses a password under 12 characters with 422 pointing at /password', async () => {
    const { token, secret } = await startSetup(t);
    const res = await post(t.app, SETUP, {
      ...OWNER,
      password: 'short pass',
      token,
      totpCode: currentTotp(secret),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('validation-failed');
    expect(res.json().errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/password' })]);
  });

  it('refuses to complete without step 1 (no TOTP secret yet) with 409', async () => {
    const token = tokenOf((await issueSetupLink(t.ctx)) as string);
    const res = await post(t.app, SETUP, { ...OWNER, token, totpCode: '123456' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('totp-enrolment-not-started');
  });

  describe('once completed', () => {
    let token: string;
    let completed: Awaited<ReturnType<typeof post>>;
    beforeAll(async () => {
      const started = await startSetup(t);
      token = started.token;
      const placeholder = await post(t.app, SETUP, {
        ...OWNER,
        token,
        totpCode: currentTotp(started.secret),
        organization: { ...ORGANIZATION, securityContact: 'security@localhost' },
      });
      expect(placeholder.statusCode).toBe(422);
      expect(JSON.stringify(placeholder.json().errors)).toContain('/organization/securityContact');
      completed = await post(t.app, SETUP, {
        ...OWNER,
        token,
        totpCode: currentTotp(started.secret),
        organization: ORGANIZATION,
      });
    });

    it("stores the organization's facts the owner gave, audited with the setup", async () => {
      expect(completed.statusCode).toBe(201);
      expect(await getOrganization(t.ctx, t.ctx.database.db)).toMatchObject({
        name: 'Acme',
        publicUrl: 'https://trust.acme.org',
        securityContact: 'security@acme.org',
      });
      expect(t.ctx.config.publicUrl).toBe('https://trust.acme.org');
      const [entry] = await auditEntries(t.ctx, 'settings.updated');
      expect(entry).toMatchObject({
        actorType: 'user',
        details: { changes: { organizationName: 'Acme', securityContact: 'security@acme.org' } },
      });
    });

    it('creates the owner with TOTP, returns 10 recovery codes and signs them in', async () => {
      expect(completed.statusCode).toBe(201);
      const codes = completed.json().recoveryCodes as string[];
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      const cookie = cookieFrom(completed.headers['set-cookie']);
      const session = await t.app.inject({
        method: 'GET',
        url: '/api/v1/identity/session',
        headers: { cookie },
      });
      expect(session.statusCode).toBe(200);
      expect(session.json()).toMatchObject({
        state: 'active',
        user: { email: 'owner@example.test', name: OWNER.name, role: 'owner', mfaEnrolled: true },
      });
    });

    it("records the owner's sign-in, so Users does not say 'Last sign-in: Never' for them", async () => {
      const cookie = cookieFrom(completed.headers['set-cookie']);
      const session = await t.app.inject({
        method: 'GET',
        url: '/api/v1/identity/session',
        headers: { cookie },
      });
      const headers = { cookie, 'x-csrf-token': session.json().csrfToken as string };
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/identity/users', headers });
      expect(list.statusCode).toBe(200);
      const [owner] = list.json().items as { email: string; lastLoginAt: string | null }[];
      expect(owner?.email).toBe('owner@example.test');
      expect(Date.parse(owner?.lastLoginAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    });

    it('audits identity.setup.completed and identity.mfa.enabled for the owner', async () => {
      const [owner] = await t.ctx.database.db
        .select()
        .from(users)
        .where(eq(users.email, 'owner@example.test'));
      expect(await auditEntries(t.ctx, 'identity.setup.completed')).toEqual([
        expect.objectContaining({ actorId: owner?.id, targetId: owner?.id }),
      ]);
      expect(await auditEntries(t.ctx, 'identity.mfa.enabled')).toEqual([
        expect.objectContaining({ targetId: owner?.id, details: { method: 'totp' } }),
      ]);
    });

    it('refuses the same link a second time with 409 setup-complete', async () => {
      const again = await post(t.app, SETUP, {
        ...OWNER,
        email: 'second@example.test',
        token,
        totpCode: '123456',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('setup-complete');
      const totp = await post(t.app, `${SETUP}/totp`, { token });
      expect(totp.statusCode).toBe(409);
    });

    it('issues no more setup links and says setup is no longer needed', async () => {
      expect(await issueSetupLink(t.ctx)).toBeUndefined();
      const res = await t.app.inject({ method: 'GET', url: `${SETUP}/status` });
      expect(res.json()).toEqual({ needed: false });
    });
  });
});

describe('first-run setup raced from two browsers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it('creates exactly one owner when the same link is completed twice at once', async () => {
    const { token, secret } = await startSetup(t);
    const code = currentTotp(secret);
    const results = await Promise.all(
      ['a@example.test', 'b@example.test', 'c@example.test'].map((email) =>
        post(t.app, SETUP, { ...OWNER, email, token, totpCode: code }),
      ),
    );
    const statuses = results.map((res) => res.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.every((status) => status === 201 || status === 404 || status === 409)).toBe(true);
    expect(await t.ctx.database.db.select().from(users)).toHaveLength(1);
  });
});
