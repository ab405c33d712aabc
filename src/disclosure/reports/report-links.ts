import type { AppContext } from '../../core/context.ts';
import type { Locale } from '../../core/i18n/index.ts';

/** The researcher's private page of one report: the follow token is the only key to it. */
export function followUrl(ctx: Pick<AppContext, 'config'>, locale: Locale, followToken: string): string {
  return `${ctx.config.publicUrl}/${locale}/security/follow/${followToken}`;
}

/** Where the team opens a report in the admin app. */
export function adminReportUrl(ctx: Pick<AppContext, 'config'>, reportId: string): string {
  return `${ctx.config.publicUrl}/app/disclosure/reports/${reportId}`;
}

function mailDomain(ctx: Pick<AppContext, 'config'>): string {
  return new URL(ctx.config.publicUrl).hostname || 'attest.invalid';
}

/**
 * Message-ID of a mail Attest sends about a report. It names the report, so a researcher's reply
 * (whose In-Reply-To / References carry it) threads into the right report even without our database row.
 */
export function outboundMessageId(ctx: Pick<AppContext, 'config'>, reportId: string, tag: string): string {
  return `<vdp.${reportId}.${tag}@${mailDomain(ctx)}>`;
}

const OUTBOUND = /<vdp\.([0-9a-f-]{36})\.[A-Za-z0-9_-]+@[^>]+>/;

/** The report a Message-ID of ours refers to, if it is one. */
export function reportIdFromMessageId(messageId: string): string | undefined {
  return OUTBOUND.exec(messageId)?.[1];
}
