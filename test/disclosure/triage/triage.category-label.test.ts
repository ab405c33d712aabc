import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { makeReport, TRIAGE_API } from './triage-helpers.ts';

// The report view names the category as the researcher saw it on the form, in the reader's language,
// never its key (issue 8, item 7).
describe('triage: a report names its category, translated', () => {
  let t: TestApp;
  let security: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    security = await loginAs(t.app, t.ctx, 'security');
  }, 300_000);
  afterAll(() => t?.close());

  const detail = async (id: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `${TRIAGE_API}/reports/${id}`,
      headers: security.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('gives the label of a common category in en, es and fr, and the report language', async () => {
    const report = await makeReport(t.ctx, { locale: 'fr', category: 'sql-injection' });
    const view = await detail(report.id);
    expect(view.category).toBe('sql-injection');
    expect(view.locale).toBe('fr');
    expect(view.categoryLabels).toEqual({
      en: 'SQL injection',
      es: expect.stringMatching(/SQL/),
      fr: expect.stringMatching(/SQL/),
    });
    expect(view.categoryLabels.es).not.toBe('sql-injection');
    expect(view.categoryLabels.fr).not.toBe(view.categoryLabels.en);
  });

  it('falls back to the key for a category the program no longer lists, and null without one', async () => {
    const gone = await makeReport(t.ctx, { category: 'retired-category' });
    expect((await detail(gone.id)).categoryLabels).toEqual({
      en: 'retired-category',
      es: 'retired-category',
      fr: 'retired-category',
    });
    const none = await makeReport(t.ctx);
    expect((await detail(none.id)).categoryLabels).toBeNull();
  });
});
