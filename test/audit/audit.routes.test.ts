import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/audit/index.ts';
import { systemActor } from '../../src/core/http/actor.ts';
import { loginAs } from '../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

type EventView = {
  seq: number;
  action: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  details: Record<string, unknown>;
};
type Page = { items: EventView[]; nextCursor: string | null };

const unique = () => randomBytes(4).toString('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('audit routes', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof loginAs>>;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t.close());

  async function listEvents(query: Record<string, string>, headers = admin.headers) {
    return t.app.inject({
      method: 'GET',
      url: `/api/v1/audit/events?${new URLSearchParams(query)}`,
      headers,
    });
  }

  async function recordMany(action: string, count: number, label = 'test') {
    for (let i = 0; i < count; i += 1)
      await recordAudit(t.ctx.database.db, systemActor(label), { action, details: { i } });
  }

  it('lists only the events whose action matches, newest first', async () => {
    const action = `test.filter-${unique()}.recorded`;
    await recordMany(action, 2);
    await recordMany(`test.other-${unique()}.recorded`, 1);
    const res = await listEvents({ action });
    expect(res.statusCode).toBe(200);
    const page = res.json() as Page;
    expect(page.items.map((item) => item.action)).toEqual([action, action]);
    expect(page.items[0]?.seq).toBeGreaterThan(page.items[1]?.seq as number);
  });

  it('filters by actor label, and by actor id', async () => {
    const action = `test.actor-${unique()}.recorded`;
    const robot = `robot-${unique()}`;
    await recordMany(action, 2, robot);
    await recordMany(action, 1, `someone-else-${unique()}`);
    const byLabel = (await listEvents({ action, actor: robot })).json() as Page;
    expect(byLabel.items).toHaveLength(2);
    expect(byLabel.items.every((item) => item.actorLabel === robot && item.actorType === 'system')).toBe(
      true,
    );

    const byId = (await listEvents({ actor: admin.made.user.id })).json() as Page;
    expect(byId.items.length).toBeGreaterThan(0);
    expect(byId.items.every((item) => item.actorId === admin.made.user.id)).toBe(true);
  });

  it('filters by a from/to time window', async () => {
    const action = `test.window-${unique()}.recorded`;
    await recordAudit(t.ctx.database.db, systemActor('test'), { action, details: { when: 'before' } });
    await sleep(20);
    const boundary = new Date().toISOString();
    await sleep(20);
    await recordAudit(t.ctx.database.db, systemActor('test'), { action, details: { when: 'after' } });

    const after = (await listEvents({ action, from: boundary })).json() as Page;
    expect(after.items.map((item) => item.details.when)).toEqual(['after']);
    const before = (await listEvents({ action, to: boundary })).json() as Page;
    expect(before.items.map((item) => item.details.when)).toEqual(['before']);
  });

  it('pages through results with nextCursor until it is null', async () => {
    const action = `test.page-${unique()}.recorded`;
    await recordMany(action, 5);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await listEvents({ action, limit: '2', ...(cursor ? { cursor } : {}) });
      expect(res.statusCode).toBe(200);
      const page = res.json() as Page;
      seen.push(...page.items.map((item) => item.seq));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(new Set(seen).size).toBe(5);
  });

  it('answers 422 with a problem for a from that is not a timestamp', async () => {
    const res = await listEvents({ from: 'yesterday' });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('verifies the chain on POST /verify and records that it did', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/audit/verify', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const result = res.json() as { ok: boolean; checked: number; headHash: string | null };
    expect(result).toMatchObject({ ok: true, firstBrokenSeq: null, reason: null });
    expect(result.checked).toBeGreaterThan(0);
    expect(result.headHash).toMatch(/^[0-9a-f]{64}$/);

    const recorded = (
      await listEvents({ action: 'audit.chain.verified', actor: admin.made.user.id })
    ).json() as Page;
    expect(recorded.items[0]).toMatchObject({
      actorType: 'user',
      actorLabel: admin.made.user.email,
      details: { ok: true, checked: result.checked },
    });
  });

  it('lists the actions the log holds, once each and sorted, for the action filter', async () => {
    const tag = unique();
    await recordMany(`test.zeta-${tag}.recorded`, 3);
    await recordMany(`test.alpha-${tag}.recorded`, 1);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit/actions', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const { actions } = res.json() as { actions: string[] };
    expect(actions.filter((action) => action.includes(tag))).toEqual([
      `test.alpha-${tag}.recorded`,
      `test.zeta-${tag}.recorded`,
    ]);
    expect(new Set(actions).size).toBe(actions.length);
    expect([...actions].sort()).toEqual(actions);
    // Real sign-ins are in it too: the list is read from the log, not typed by hand.
    expect(actions).toContain('identity.login.succeeded');
    const employee = await loginAs(t.app, t.ctx, 'employee');
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit/actions',
      headers: employee.headers,
    });
    expect(refused.statusCode).toBe(403);
  });

  it('exports the filtered log as CSV, quoted and formula-safe, and records the export', async () => {
    const action = `test.csv-${unique()}.recorded`;
    await recordAudit(t.ctx.database.db, systemActor('=HYPERLINK("http://evil.test","x")'), {
      action,
      details: { note: 'a, "quoted"\nline' },
    });
    await recordMany(`test.other-${unique()}.recorded`, 1);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/audit/events.csv?${new URLSearchParams({ action })}`,
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-log-/);
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe(
      'seq,occurred_at,actor_type,actor_id,actor_label,action,target_type,target_id,ip,user_agent,details',
    );
    // One entry: the other action is filtered out; the label is text, not a formula; JSON quotes are doubled.
    expect(lines.filter((line) => line.includes(action))).toHaveLength(1);
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(res.body).toContain('"{""note"":""a, \\""quoted\\""\\nline""}"');
    expect(res.body).not.toContain('test.other-');
    const exported = (await listEvents({ action: 'audit.log.exported' })).json() as Page;
    expect(exported.items[0]?.details).toEqual({ filter: { action }, rows: 1 });
    const employee = await loginAs(t.app, t.ctx, 'employee');
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit/events.csv',
      headers: employee.headers,
    });
    expect(refused.statusCode).toBe(403);
  });

  it('lets an auditor read the log', async () => {
    const auditor = await loginAs(t.app, t.ctx, 'auditor');
    expect((await listEvents({}, auditor.headers)).statusCode).toBe(200);
  });

  it('refuses an employee with 403 on both routes', async () => {
    const employee = await loginAs(t.app, t.ctx, 'employee');
    const list = await listEvents({}, employee.headers);
    expect(list.statusCode).toBe(403);
    expect(list.headers['content-type']).toMatch(/^application\/problem\+json/);
    const verify = await t.app.inject({
      method: 'POST',
      url: '/api/v1/audit/verify',
      headers: employee.headers,
    });
    expect(verify.statusCode).toBe(403);
  });

  it('refuses an anonymous caller with 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit/events' });
    expect(res.statusCode).toBe(401);
  });
});
