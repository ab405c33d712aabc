import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { type Actor, asVisitor } from '../../core/http/actor.ts';
import type { Locale } from '../../core/i18n/index.ts';
import { queueMail } from '../../core/mail/mail.jobs.ts';
import { findTrustManagers } from '../access/access-mail.ts';
import { findVisitorAccess } from '../access/grants.service.ts';
import { loadAccessSettings } from '../access/visitors.service.ts';
import { recordTrustEvent } from '../events.ts';
import { trustNdaTemplates } from '../tables.ts';
import { renderSignedNdaPdf } from './nda.pdf.ts';
import { findCurrentNdaTemplate, findNdaTemplate, insertNdaAcceptance } from './nda.store.ts';

export type AcceptNdaInput = {
  accessToken: string;
  locale: Locale;
  templateId: string;
  /** The SHA-256 the page was rendered with: proof of which text the visitor saw. */
  shownSha256: string;
  fullName: string;
};

/**
 * Records a visitor's click-through acceptance — template, SHA-256 of the exact text shown, typed name,
 * e-mail, company, IP, user agent, time — and queues a PDF copy to the visitor and to the company's trust
 * managers, all in one transaction committed before the caller answers.
 *
 * @returns 'not-found' when the access token opens nothing; 'stale' when the page showed a text that is
 *   no longer the current version (the visitor must read the new one); else 'accepted'.
 */
export async function acceptNda(
  ctx: AppContext,
  actor: Actor,
  input: AcceptNdaInput,
): Promise<'accepted' | 'stale' | 'not-found'> {
  const db = ctx.database.db;
  const now = new Date();
  const access = await findVisitorAccess(db, input.accessToken, now);
  if (!access) return 'not-found';
  const template = await findNdaTemplate(db, input.templateId);
  if (!template || template.sha256 !== input.shownSha256) return 'stale';
  const current = await findCurrentNdaTemplate(db, template.locale);
  if (current?.id !== template.id) return 'stale';

  const settings = await loadAccessSettings(ctx, db);
  const { visitor } = access;
  const acceptance = {
    id: randomUUID(),
    visitorId: visitor.id,
    templateId: template.id,
    textSha256: template.sha256,
    fullName: input.fullName,
    email: visitor.email,
    company: visitor.company,
    ip: actor.ip,
    userAgent: actor.userAgent?.slice(0, 500) ?? null,
    acceptedAt: now,
  };
  const pdf = await renderSignedNdaPdf({
    ...acceptance,
    acceptanceId: acceptance.id,
    locale: input.locale,
    companyName: settings.companyName,
    title: template.title,
    body: template.body,
    version: template.version,
  });
  const attachment = {
    filename: `nda-${now.toISOString().slice(0, 10)}-${acceptance.id.slice(0, 8)}.pdf`,
    contentType: 'application/pdf',
    contentBase64: Buffer.from(pdf).toString('base64'),
  };

  return db.transaction(async (tx) => {
    // Lock the version and look again: a correction made since the page was rendered makes this stale.
    const [locked] = await tx
      .select()
      .from(trustNdaTemplates)
      .where(eq(trustNdaTemplates.id, template.id))
      .for('update');
    if (!locked || locked.sha256 !== input.shownSha256 || !locked.active) return 'stale' as const;
    await insertNdaAcceptance(tx, acceptance);
    await recordTrustEvent(tx, {
      type: 'nda-accepted',
      visitorId: visitor.id,
      company: visitor.company,
      locale: input.locale,
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    await recordAudit(tx, asVisitor(actor, visitor.id), {
      action: 'trust.nda.accepted',
      targetType: 'trust-nda-acceptance',
      targetId: acceptance.id,
      details: {
        visitorId: visitor.id,
        templateId: template.id,
        version: template.version,
        locale: template.locale,
        textSha256: template.sha256,
      },
    });
    const vars = {
      organizationName: settings.companyName,
      signerName: acceptance.fullName,
      signerEmail: visitor.email,
      company: visitor.company,
      ndaTitle: template.title,
      ndaVersion: template.version,
      acceptedAt: now,
    };
    const recipients = [{ email: visitor.email, locale: input.locale }, ...(await findTrustManagers(tx))];
    for (const recipient of recipients) {
      await queueMail(ctx, tx, {
        to: recipient.email,
        template: 'trust-nda-signed',
        locale: recipient.locale,
        cause: actor,
        vars,
        attachments: [attachment],
      });
    }
    return 'accepted' as const;
  });
}
