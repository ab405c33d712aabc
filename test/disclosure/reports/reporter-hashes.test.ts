import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import { generateKey, loadKeyring, sha256Hex } from '../../../src/core/crypto/index.ts';
import { issuePortalLink } from '../../../src/disclosure/portal/portal.links.ts';
import { rehashReporterEmails } from '../../../src/disclosure/reports/reporter-hashes.ts';
import { reporterEmailHash } from '../../../src/disclosure/reports/reports.sealing.ts';
import { disclosureReports, disclosureResearcherLinks } from '../../../src/disclosure/tables.ts';
import { loginThrottle } from '../../../src/identity/tables.ts';
import { linkInMail, postForm, visit } from '../../fixtures/access.ts';
import { loginAs } from '../../fixtures/identity.ts';
import { buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';
import {
  postMultipart,
  publishIntakeProgram,
  REPORTS_API,
  reportBody,
  researcherEmail,
} from '../intake/intake-helpers.ts';

/**
 * Issue 7, item 16: e-mail hashes were unsalted SHA-256, so anyone with the database could confirm who
 * reported (or who failed to sign in) by hashing a guessed address. They are now keyed (HMAC under a key
 * derived from the data key), existing rows are rehashed at start, and every lookup by address still works.
 */
describe('keyed e-mail hashes', () => {
  let t: TestApp;
  let version: number;

  async function send(email: string, title: string): Promise<string> {
    const res = await postMultipart(t.app, REPORTS_API, [
      { name: 'report', value: JSON.stringify(reportBody(version, { title, reporter: { email } })) },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }

  async function storedHash(reportId: string): Promise<string | null> {
    const [row] = await t.ctx.database.db
      .select({ hash: disclosureReports.reporterEmailHash })
      .from(disclosureReports)
      .where(eq(disclosureReports.id, reportId));
    return row?.hash ?? null;
  }

  /** Asks for a portal link on the public form and opens it: the page lists the address's reports. */
  async function portalPage(email: string): Promise<string> {
    const before = (await queuedMails(t.ctx, email.toLowerCase())).length;
    const asked = await postForm(t.app, '/en/security/portal', { email });
    expect(asked.statusCode).toBe(200);
    expect(await queuedMails(t.ctx, email.toLowerCase())).toHaveLength(before + 1);
    const link = await linkInMail(t.ctx, email.toLowerCase(), '/security/portal/');
    return (await visit(t.app, link)).body;
  }

  beforeAll(async () => {
    t = await buildTestApp();
    const admin = await loginAs(t.app, t.ctx, 'admin');
    version = await publishIntakeProgram(t.app, admin.headers);
  });
  afterAll(() => t?.close());

  it('stores a keyed hash of the reporter address, not its SHA-256, and still finds the address by it', async () => {
    const email = researcherEmail();
    const reportId = await send(email, 'Keyed-hash report');
    const hash = await storedHash(reportId);
    expect(hash).not.toBeNull();
    // Whoever holds the database cannot confirm the address by hashing it.
    for (const guess of [email, email.toLowerCase(), email.toUpperCase()]) {
      expect(hash).not.toBe(sha256Hex(guess));
      expect(hash).not.toContain(sha256Hex(guess));
    }
    expect(hash).toMatch(new RegExp(`^h1\\.${t.ctx.keyring.current.id}\\.[0-9a-f]{64}$`));
    expect(hash).toBe(reporterEmailHash(t.ctx.keyring, email.toUpperCase()));
    // The same address under another data key hashes differently.
    const other = loadKeyring({ secretKey: generateKey(), dataDir: t.dataDir });
    expect(reporterEmailHash(other, email)).not.toBe(hash);

    // Lookups by address: the portal form (in any case) finds the report.
    expect(await portalPage(email.toUpperCase())).toContain('Keyed-hash report');
    // The portal link is stored with the keyed hash too.
    const links = await t.ctx.database.db
      .select({ emailHash: disclosureResearcherLinks.emailHash })
      .from(disclosureResearcherLinks)
      .where(eq(disclosureResearcherLinks.emailHash, hash as string));
    expect(links.length).toBeGreaterThan(0);
  });

  it('rehashes rows stored as plain SHA-256 at start; their reports and portal links keep working', async () => {
    const email = researcherEmail();
    const reportId = await send(email, 'Legacy-hash report');
    const legacy = sha256Hex(email.toLowerCase());
    // As a database written before this change holds it: the report and a live portal link.
    await t.ctx.database.db
      .update(disclosureReports)
      .set({ reporterEmailHash: legacy })
      .where(eq(disclosureReports.id, reportId));
    const oldLink = await issuePortalLink(t.ctx, t.ctx.database.db, legacy, 'en');
    // A link whose address has no report left cannot be mapped: it goes.
    const orphan = sha256Hex('nobody@example.test');
    await issuePortalLink(t.ctx, t.ctx.database.db, orphan, 'en');

    // A start (building the app runs the backfill before serving).
    const restarted = await buildApp(t.ctx);
    await restarted.ready();
    await restarted.close();

    expect(await storedHash(reportId)).toBe(reporterEmailHash(t.ctx.keyring, email));
    const leftovers = await t.ctx.database.db
      .select()
      .from(disclosureResearcherLinks)
      .where(eq(disclosureResearcherLinks.emailHash, orphan));
    expect(leftovers).toHaveLength(0);
    expect(
      await t.ctx.database.db.$count(disclosureReports, eq(disclosureReports.reporterEmailHash, legacy)),
    ).toBe(0);
    // The link mailed before the upgrade still opens the report; a new one does too.
    const path = new URL(oldLink.url).pathname;
    expect((await visit(t.app, path)).body).toContain('Legacy-hash report');
    expect(await portalPage(email)).toContain('Legacy-hash report');
    // Nothing left to do: a second start changes nothing.
    expect(await rehashReporterEmails(t.ctx)).toEqual({ rehashed: 0, unreadable: 0, linksRemoved: 0 });
  });

  it('rehashes under the new key after a rotation, and lookups by address follow', async () => {
    const email = researcherEmail();
    const reportId = await send(email, 'Rotated-key report');
    const before = await storedHash(reportId);
    const oldKey = t.ctx.keyring.current.key.toString('base64');
    const rotated = {
      ...t.ctx,
      keyring: loadKeyring({ secretKey: generateKey(), previousKeys: [oldKey], dataDir: t.dataDir }),
    };
    const result = await rehashReporterEmails(rotated);
    expect(result.rehashed).toBeGreaterThanOrEqual(1);
    expect(result.unreadable).toBe(0);
    const after = await storedHash(reportId);
    expect(after).not.toBe(before);
    expect(after).toBe(reporterEmailHash(rotated.keyring, email));
  });

  it('keys the sign-in lockout counter too: no SHA-256 of the address in login_throttle', async () => {
    const email = `ghost-${Date.now()}@example.test`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/login',
      remoteAddress: '198.51.100.77',
      payload: { email, password: 'wrong password, surely' },
    });
    expect(res.statusCode).toBe(401);
    const rows = await t.ctx.database.db.select().from(loginThrottle);
    const keys = rows.map((row) => row.key);
    expect(keys).not.toContain(sha256Hex(`login:${email}`));
    expect(keys.some((key) => key.includes(sha256Hex(`login:${email}`)))).toBe(false);
    expect(keys.every((key) => key.startsWith(`h1.${t.ctx.keyring.current.id}.`))).toBe(true);
    expect(rows.find((row) => row.failures === 1)).toBeDefined();
  });
});
