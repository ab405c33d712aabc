import type { Locale } from '../../core/i18n/index.ts';
import type { SiteDocument, SiteSnapshot, SiteSubprocessor } from '../publication/publication.schemas.ts';
import { type PageInput, renderPage } from './layout.ts';
import { type Fragment, pick } from './localize.ts';

/** What every page renderer gets: the snapshot (published or draft), the page locale and the date. */
export type SiteView = {
  site: SiteSnapshot;
  locale: Locale;
  publicUrl: string;
  /** YYYY-MM-DD (UTC): validity and effective dates are compared with it. */
  today: string;
  /** Preview of the draft: noindex and a banner. */
  preview?: boolean;
};

export function text(view: SiteView, value: Parameters<typeof pick>[0]): Fragment | undefined {
  return pick(value, view.locale, view.site.profile.defaultLocale);
}

/** Documents visitors can see: not archived (the snapshot has none), with a file, already valid. */
export function visibleDocuments(view: SiteView): SiteDocument[] {
  return view.site.documents.filter(
    (d) => (d.hasDefaultFile || d.fileLocales.length > 0) && (!d.validFrom || d.validFrom <= view.today),
  );
}

export function isExpired(document: SiteDocument, today: string): boolean {
  return document.validUntil !== null && document.validUntil < today;
}

/** Subprocessors in use or announced: not yet removed. */
export function currentSubprocessors(view: SiteView): SiteSubprocessor[] {
  return view.site.subprocessors.filter((s) => !s.removedOn || s.removedOn > view.today);
}

/** renderPage with the site's profile, origin and default locale filled in. */
export function page(
  view: SiteView,
  input: Pick<PageInput, 'path' | 'title' | 'body'> & { noindex?: boolean; banner?: string },
): string {
  const { profile } = view.site;
  return renderPage({
    ...input,
    locale: view.locale,
    profile: {
      companyName: profile.companyName,
      logoDataUrl: profile.logoDataUrl ?? undefined,
      brandColor: profile.brandColor,
    },
    defaultLocale: profile.defaultLocale,
    publicUrl: view.publicUrl,
    noindex: input.noindex || view.preview,
  });
}
