import { type Locale, translate } from '../../core/i18n/index.ts';
import { localePath, type PageInput, renderPage } from './layout.ts';
import { translator } from './localize.ts';

type Common = Pick<PageInput, 'locale' | 'path' | 'profile' | 'defaultLocale' | 'publicUrl'>;

/** Before the first publication: a friendly page (answered with 200) in the visitor's language. */
export function renderNotPublished(input: Common): string {
  const t = translator(input.locale);
  return renderPage({
    ...input,
    title: translate(input.locale, 'trust:notPublished.title'),
    body: `<h1>${t('notPublished.title')}</h1>\n<p>${t('notPublished.body')}</p>`,
    noindex: true,
  });
}

/** A public page that does not exist (unknown document, mistyped path), as HTML in the visitor's language. */
export function renderNotFound(input: Omit<Common, 'path'> & { locale: Locale }): string {
  const t = translator(input.locale);
  return renderPage({
    ...input,
    path: '/',
    inNavigation: false,
    title: translate(input.locale, 'trust:notFound.title'),
    body: `<h1>${t('notFound.title')}</h1>\n<p>${t('notFound.body')}</p>\n<p><a href="${localePath(input.locale, '/')}">${t('notFound.home')}</a></p>`,
    noindex: true,
  });
}
