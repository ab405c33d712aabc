import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  notifySubscribers,
  subscribersNotifyJob,
} from '../../../src/trust/subscriptions/subscriptions.jobs.ts';
import { trustSubscribers } from '../../../src/trust/tables.ts';
import { linkInMail, postForm, TRUST_API, visit, visitorEmail } from '../../fixtures/access.ts';
import { loginAs, type SignedIn, uniqueIp } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, queuedMails, type TestApp } from '../../helpers/app.ts';

type Mail = { subject: string; text: string; html: string; headers?: Record<string, string> };

describe('subscriptions to change notices', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
  });
  afterAll(() => t?.close());

  const subscriberRows = (email: string) =>
    t.ctx.database.db.select().from(trustSubscribers).where(eq(trustSubscribers.email, email));
  /** Subscribes through the form and confirms by the e-mailed link. */
  const subscribed = async (locale: 'en' | 'es' | 'fr', topics: string[]) => {
    const email = visitorEmail();
    expect((await postForm(t.app, `/${locale}/subscriptions`, { email, topics })).statusCode).toBe(200);
    expect((await visit(t.app, await linkInMail(t.ctx, email, '/subscriptions/confirm/'))).statusCode).toBe(
      200,
    );
    return email;
  };
  const notices = async (email: string) =>
    (await queuedMails(t.ctx, email)).filter((mail) =>
      mail.text.includes('/subscriptions/unsubscribe/'),
    ) as Mail[];

  it('asks for confirmation in the visitor’s language before anything is sent (double opt-in)', async () => {
    const email = visitorEmail();
    const res = await postForm(t.app, '/es/subscriptions', { email, topics: ['subprocessors', 'updates'] });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).toContain('Revise su correo');
    const [row] = await subscriberRows(email);
    expect(row).toMatchObject({ locale: 'es', topics: ['subprocessors', 'updates'], confirmedAt: null });
    const [mail] = await queuedMails(t.ctx, email);
    expect(mail?.subject).toBe('Confirme su suscripción a los avisos de seguridad de Attest');

    const link = await linkInMail(t.ctx, email, '/subscriptions/confirm/');
    const confirmed = await visit(t.app, link);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('Ya está suscrito');
    expect((await subscriberRows(email))[0]?.confirmedAt).toBeInstanceOf(Date);
    const replay = await visit(t.app, link);
    expect(replay.statusCode).toBe(404);
  });

  it('re-shows the form (422) for a malformed address or no topic', async () => {
    const bad = await postForm(t.app, '/fr/subscriptions', { email: 'nope', topics: 'updates' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Indiquez une adresse e-mail valide');
    const none = await postForm(t.app, '/en/subscriptions', { email: visitorEmail() });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Choose at least one kind of notice.');
    const unknownTopic = await postForm(t.app, '/en/subscriptions', {
      email: visitorEmail(),
      topics: 'marketing',
    });
    expect(unknownTopic.statusCode).toBe(422);
  });

  it('answers a confirmed address the same and sends it nothing more', async () => {
    const email = await subscribed('en', ['updates']);
    const before = (await queuedMails(t.ctx, email)).length;
    const again = await postForm(t.app, '/en/subscriptions', { email, topics: ['subprocessors'] });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('Check your e-mail');
    expect(await queuedMails(t.ctx, email)).toHaveLength(before);
    expect((await subscriberRows(email))[0]?.topics).toEqual(['updates']);
  });

  it('queues the notice job when told of a change', async () => {
    await notifySubscribers(t.ctx, {
      topic: 'updates',
      changes: [{ kind: 'update-published', name: 'Quarterly pentest done' }],
    });
    const { rows } = await t.ctx.database.executeSql(
      "select data from pgboss.job where name = 'trust.subscribers-notify' order by created_on desc limit 1",
      [],
    );
    expect((rows[0] as { data: unknown }).data).toMatchObject({ topic: 'updates' });
    await expect(notifySubscribers(t.ctx, { topic: 'updates', changes: [] } as never)).rejects.toThrow();
  });

  it('sends one batched notice per confirmed subscriber of the topic, in their language, with the effective date', async () => {
    const spanish = await subscribed('es', ['subprocessors']);
    const french = await subscribed('fr', ['subprocessors', 'updates']);
    const updatesOnly = await subscribed('en', ['updates']);
    const unconfirmed = visitorEmail();
    await postForm(t.app, '/en/subscriptions', { email: unconfirmed, topics: 'subprocessors' });

    await subscribersNotifyJob(t.ctx).handle({
      topic: 'subprocessors',
      changes: [
        { kind: 'subprocessor-added', name: 'Initech Cloud', effectiveOn: '2030-03-05' },
        { kind: 'subprocessor-removed', name: 'Hooli Mail', effectiveOn: '2030-03-05' },
      ],
    });

    const [es] = await notices(spanish);
    expect(es?.subject).toBe('Attest: 2 cambios en nuestra información de seguridad');
    expect(es?.text).toContain('Nuevo subencargado: Initech Cloud, a partir del 5 de marzo de 2030.');
    expect(es?.text).toContain('Subencargado que deja de utilizarse: Hooli Mail');
    expect(es?.text).toMatch(/\/es\/subprocessors/);
    expect(es?.headers?.['List-Unsubscribe']).toMatch(
      /^<http:\/\/[^>]+\/es\/subscriptions\/unsubscribe\/[A-Za-z0-9_-]+>$/,
    );
    expect(es?.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(es?.html).toContain('Darse de baja de estos avisos');
    const [fr] = await notices(french);
    expect(fr?.text).toContain('Nouveau sous-traitant\u00a0: Initech Cloud, à partir du 5 mars 2030.');
    expect(await notices(updatesOnly)).toEqual([]);
    expect(await notices(unconfirmed)).toEqual([]);
  });

  it('unsubscribes from the link in a notice, with a confirming button or one click', async () => {
    const email = await subscribed('en', ['updates']);
    const other = await subscribed('en', ['updates']);
    await subscribersNotifyJob(t.ctx).handle({
      topic: 'updates',
      changes: [{ kind: 'update-published', name: 'Note' }],
    });
    const link = await linkInMail(t.ctx, email, '/subscriptions/unsubscribe/');
    const page = await visit(t.app, link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<form method="post" action="${link}">`);
    // Opening the page changes nothing.
    expect(await subscriberRows(email)).toHaveLength(1);
    const done = await t.app.inject({ method: 'POST', url: link, remoteAddress: uniqueIp() });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You&#39;re unsubscribed');
    expect(await subscriberRows(email)).toEqual([]);
    expect((await visit(t.app, link)).statusCode).toBe(404);

    // RFC 8058: the mail client POSTs List-Unsubscribe=One-Click to the header's URL.
    const otherLink = await linkInMail(t.ctx, other, '/subscriptions/unsubscribe/');
    const oneClick = await postForm(t.app, otherLink, { 'List-Unsubscribe': 'One-Click' });
    expect(oneClick.statusCode).toBe(200);
    expect(await subscriberRows(other)).toEqual([]);
  });

  it('lists subscribers for admins, who can delete one (audited); employees and anonymous callers are refused', async () => {
    const email = await subscribed('fr', ['updates']);
    const list = await t.app.inject({ url: `${TRUST_API}/subscribers?limit=100`, headers: admin.headers });
    expect(list.statusCode).toBe(200);
    const item = list.json().items.find((entry: { email: string }) => entry.email === email);
    expect(item).toMatchObject({ locale: 'fr', topics: ['updates'], confirmed: true });
    const url = `${TRUST_API}/subscribers/${item.id}`;
    const employee = await loginAs(t.app, t.ctx, 'employee');
    expect((await t.app.inject({ method: 'DELETE', url, headers: employee.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url })).statusCode).toBe(401);
    expect((await t.app.inject({ url: `${TRUST_API}/subscribers` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'DELETE', url, headers: admin.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url, headers: admin.headers })).statusCode).toBe(404);
    expect((await auditEntries(t.ctx, 'trust.subscriber.deleted')).at(-1)?.targetId).toBe(item.id);
  });
});
