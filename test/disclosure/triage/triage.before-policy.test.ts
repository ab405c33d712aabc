import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/http/actor.ts';
import { createReport } from '../../../src/disclosure/reports/reports.service.ts';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { publishWithContact } from '../program/program-helpers.ts';
import { TRIAGE_API } from './triage-helpers.ts';

// A report that arrives by mail before the program's first publish is kept, never lost, and marked as
// received before any published policy: in the inbox, on the report, and on the researcher's portal.
describe('triage: reports received before the first publish', () => {
  let t: TestApp;
  let security: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    security = await loginAs(t.app, t.ctx, 'owner');
  }, 300_000);
  afterAll(() => t?.close());

  const mailReport = (title: string) =>
    t.ctx.database.db.transaction((tx) =>
      createReport(
        t.ctx,
        tx,
        systemActor('mail-intake'),
        {
          locale: 'fr',
          asset: null,
          content: { title, description: 'Found before you had a policy.', steps: '', impact: '' },
          reporter: { email: 'early@researcher.test' },
        },
        { channel: 'email', senderVerified: true },
      ),
    );
  const inboxItem = async (number: number) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `${TRIAGE_API}/reports`,
      headers: security.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.find((item: { number: number }) => item.number === number);
  };

  it('stores it, marks it in the inbox, the report view and the portal; later reports are not marked', async () => {
    const early = await mailReport('Early bird');
    expect(early.report.policyVersion).toBe(0);
    expect(await inboxItem(early.report.number)).toMatchObject({ beforePolicy: true });
    const detail = await t.app.inject({
      method: 'GET',
      url: `${TRIAGE_API}/reports/${early.report.id}`,
      headers: security.headers,
    });
    expect(detail.json()).toMatchObject({ beforePolicy: true, policyVersion: 0 });

    const portal = await t.app.inject({
      method: 'GET',
      url: early.followUrl.replace(/^https?:\/\/[^/]+/, ''),
    });
    expect(portal.statusCode, portal.body.slice(0, 300)).toBe(200);
    expect(portal.body).toContain('Reçu avant la publication de notre politique de divulgation');

    await publishWithContact(t.app, security.headers, 'security@acme.org');
    const later = await mailReport('After publish');
    expect(later.report.policyVersion).toBeGreaterThan(0);
    expect(await inboxItem(later.report.number)).toMatchObject({ beforePolicy: false });
    const laterPortal = await t.app.inject({
      method: 'GET',
      url: later.followUrl.replace(/^https?:\/\/[^/]+/, ''),
    });
    expect(laterPortal.body).not.toContain('Reçu avant la publication');
  });
});
