import type { AppContext } from '../../core/context.ts';
import { type Locale, translate } from '../../core/i18n/index.ts';
import { frameFor, renderPage } from '../../trust/index.ts';
import type { ProgramSource } from '../program/program.schema.ts';
import { PROGRAM_PATHS } from '../program/program.urls.ts';

/**
 * The whole policy page around a rendered body: the trust center's layout, header (its company name
 * and logo) and language links, with the program's default locale as x-default. A preview carries a
 * banner and is kept out of search engines.
 */
export async function renderPolicyPage(
  ctx: AppContext,
  source: ProgramSource,
  locale: Locale,
  body: string,
  options: { preview?: boolean } = {},
): Promise<string> {
  const frame = await frameFor(ctx, locale);
  return renderPage({
    locale,
    path: PROGRAM_PATHS.policy,
    title: translate(locale, 'vdp-policy:title'),
    body,
    profile: frame.profile,
    defaultLocale: source.defaultLocale,
    publicUrl: ctx.config.publicUrl,
    noindex: options.preview,
    banner: options.preview ? translate(locale, 'vdp-policy:previewBanner') : undefined,
  });
}

/** What of the page frame changes the page: the header's company name and logo. */
export async function frameKey(ctx: AppContext, locale: Locale): Promise<string> {
  const { profile } = await frameFor(ctx, locale);
  return `${profile.companyName}|${logoFingerprint(profile.logoDataUrl)}`;
}

let lastLogo: { dataUrl: string; fingerprint: string } | undefined;

/** A short stand-in for the logo in cache keys; the data URL of the current logo is hashed once. */
function logoFingerprint(dataUrl: string | undefined): string {
  if (!dataUrl) return '-';
  if (lastLogo?.dataUrl === dataUrl) return lastLogo.fingerprint;
  let hash = 0;
  for (let i = 0; i < dataUrl.length; i += 1) hash = (Math.imul(hash, 31) + dataUrl.charCodeAt(i)) | 0;
  lastLogo = { dataUrl, fingerprint: `${dataUrl.length}:${hash}` };
  return lastLogo.fingerprint;
}
