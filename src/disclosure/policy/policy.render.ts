import Holidays from 'date-holidays';
import { type Locale, locales, translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import type { LocalizedText, ProgramSource } from '../program/program.schema.ts';
import { contactUri, programUrls } from '../program/program.urls.ts';

/**
 * The policy, rendered from the program source: as the body of the public HTML page and as a
 * SECURITY.md for repositories. Both come from one view (policyView) so they never say different
 * things. Pure functions: the caller gives the version, the public URL and the key, if any.
 */

export type PolicyContext = {
  version: number;
  publishedAt: Date;
  publicUrl: string;
  /** The active OpenPGP key, when there is one: linked and fingerprinted under "how to report". */
  encryptionKey?: { url: string; fingerprint: string };
};

/** Admin text in the language it is really in (a fallback is marked up with its own `lang`). */
type Text = { text: string; lang: Locale };

type PolicyView = {
  title: string;
  summary: string;
  introduction: Text | undefined;
  contacts: { label: string; uri: string; shown: string }[];
  encryption: { url: string; fingerprint: string } | undefined;
  guidance: Text | undefined;
  inScope: { identifier: string; kind: string; description: Text | undefined }[];
  outOfScope: { identifier: string; kind: string; description: Text | undefined }[];
  categories: Text[];
  reserveRight: string | undefined;
  rules: Text[];
  promises: Text[];
  timeline: string[];
  safeHarbor: Text | undefined;
  thanksUrl: string;
  advisoriesUrl: string;
  version: string;
  canonical: string;
};

/** `{{companyName}}`, `{{responseBusinessDays}}`, `{{disclosureDeadlineDays}}` filled in from the source. */
function fill(text: string, source: ProgramSource): string {
  const values: Record<string, string> = {
    companyName: source.companyName,
    responseBusinessDays: String(source.responseBusinessDays),
    disclosureDeadlineDays: String(source.disclosureDeadlineDays),
  };
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The text in `locale`, else the program's default locale, else any locale that has it. */
export function pickText(text: LocalizedText, locale: Locale, source: ProgramSource): Text | undefined {
  for (const candidate of [locale, source.defaultLocale, ...locales]) {
    const value = text[candidate]?.trim();
    if (value) return { text: fill(value, source), lang: candidate };
  }
  return undefined;
}

function placeName(holidays: ProgramSource['holidays'], locale: Locale): string | undefined {
  if (!holidays.country) return undefined;
  const calendar = new Holidays();
  const country = calendar.getCountries(locale)[holidays.country] ?? holidays.country;
  if (!holidays.region) return country;
  const region = calendar.getStates(holidays.country, locale)?.[holidays.region] ?? holidays.region;
  return `${country} (${region})`;
}

function policyView(source: ProgramSource, locale: Locale, context: PolicyContext): PolicyView {
  const t = (key: string, vars?: Record<string, unknown>) => translate(locale, `vdp-policy:${key}`, vars);
  const urls = programUrls(context.publicUrl);
  const asset = (a: ProgramSource['assets'][number]) => ({
    identifier: a.identifier,
    kind: t(`assetKinds.${a.kind}`),
    description: pickText(a.description, locale, source),
  });
  const place = placeName(source.holidays, locale);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    context.publishedAt,
  );
  const fix = source.fixTargetDays;
  return {
    title: t('title'),
    summary: t('summary', { count: source.responseBusinessDays }),
    introduction: pickText(source.introduction, locale, source),
    contacts: source.contacts.map((contact) => {
      const uri = contactUri(contact, locale, context.publicUrl);
      return {
        label: pickText(contact.label, locale, source)?.text ?? t(`contacts.${contact.kind}`),
        uri,
        shown: uri.startsWith('mailto:') ? uri.slice('mailto:'.length) : uri,
      };
    }),
    encryption: context.encryptionKey,
    guidance: pickText(source.reportingGuidance, locale, source),
    inScope: source.assets.filter((a) => a.inScope).map(asset),
    outOfScope: source.assets.filter((a) => !a.inScope).map(asset),
    categories: source.outOfScopeCategories.flatMap((c) => pickText(c.label, locale, source) ?? []),
    reserveRight: source.reserveScopeDecision ? t('reserveRight') : undefined,
    rules: source.rulesOfEngagement.flatMap((rule) => pickText(rule, locale, source) ?? []),
    promises: source.promises.flatMap((promise) => pickText(promise, locale, source) ?? []),
    timeline: [
      t('responseTime', { count: source.responseBusinessDays }),
      t('fixTargets', fix),
      t('disclosureDeadline', { count: source.disclosureDeadlineDays }),
      place
        ? t('businessDaysHolidays', { timeZone: source.timeZone, place })
        : t('businessDays', { timeZone: source.timeZone }),
    ],
    safeHarbor: pickText(source.safeHarbor, locale, source),
    thanksUrl: urls.thanks(locale),
    advisoriesUrl: urls.advisories(locale),
    version: t('version', { version: context.version, date }),
    canonical: t('canonical', { url: urls.policy(locale) }),
  };
}

// ---------------------------------------------------------------------------------------------------
// SECURITY.md

/** Admin text is Markdown already; only its paragraphs' spacing is normalised. */
function markdownParagraphs(text: Text | undefined): string {
  return text ? text.text.replace(/\r\n/g, '\n').replace(/\n{3,}/g, '\n\n') : '';
}

function markdownList(items: Text[]): string {
  return items.map((item) => `- ${item.text.replace(/\s*\n\s*/g, ' ')}`).join('\n');
}

function markdownCode(value: string): string {
  const ticks = value.includes('`') ? '``' : '`';
  return `${ticks}${value.includes('`') ? ` ${value} ` : value}${ticks}`;
}

function markdownAssets(assets: PolicyView['inScope']): string {
  return assets
    .map((a) => {
      const description = a.description ? ` — ${a.description.text.replace(/\s*\n\s*/g, ' ')}` : '';
      return `- ${markdownCode(a.identifier)} (${a.kind})${description}`;
    })
    .join('\n');
}

/** The published policy as a SECURITY.md (GitHub shows it under the repository's Security tab). */
export function renderPolicyMarkdown(source: ProgramSource, locale: Locale, context: PolicyContext): string {
  const view = policyView(source, locale, context);
  const t = (key: string, vars?: Record<string, unknown>) => translate(locale, `vdp-policy:${key}`, vars);
  const sections: string[] = [`# ${t('markdownTitle', { companyName: source.companyName })}`];
  if (view.introduction) sections.push(markdownParagraphs(view.introduction));

  // The separator is the locale's: French puts a space before the colon.
  const report = view.contacts.map(
    (c) => `- ${c.label}${t('contactSeparator')}<${c.uri.startsWith('mailto:') ? c.shown : c.uri}>`,
  );
  if (view.encryption)
    report.push(
      `- ${t('encryption', { url: `<${view.encryption.url}>`, fingerprint: markdownCode(view.encryption.fingerprint) })}`,
    );
  sections.push(`## ${t('sections.report')}`, report.join('\n'));
  if (view.guidance) sections.push(markdownParagraphs(view.guidance));

  sections.push(`## ${t('sections.scope')}`, `### ${t('sections.inScope')}`);
  sections.push(view.inScope.length > 0 ? markdownAssets(view.inScope) : t('noAssets'));
  if (view.outOfScope.length > 0)
    sections.push(`### ${t('sections.outOfScopeAssets')}`, markdownAssets(view.outOfScope));
  if (view.categories.length > 0 || view.reserveRight) {
    sections.push(`### ${t('sections.outOfScopeCategories')}`);
    if (view.categories.length > 0) sections.push(markdownList(view.categories));
    if (view.reserveRight) sections.push(view.reserveRight);
  }
  if (view.rules.length > 0) sections.push(`## ${t('sections.rules')}`, markdownList(view.rules));
  if (view.promises.length > 0) sections.push(`## ${t('sections.promises')}`, markdownList(view.promises));
  sections.push(`## ${t('sections.timeline')}`, view.timeline.map((line) => `- ${line}`).join('\n'));
  if (view.safeHarbor) sections.push(`## ${t('sections.safeHarbor')}`, markdownParagraphs(view.safeHarbor));
  sections.push(
    `## ${t('sections.thanks')}`,
    `${t('thanksText')} <${view.thanksUrl}>`,
    `${t('advisoriesText')} <${view.advisoriesUrl}>`,
  );
  sections.push(
    '---',
    `${view.version} ${t('canonical', { url: `<${programUrls(context.publicUrl).policy(locale)}>` })}`,
  );
  return `${sections.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------
// HTML

/** Escaped text with its own `lang` when it is a fallback in another language. */
function html(text: Text, locale: Locale): string {
  const escaped = escapeHtml(text.text);
  return text.lang === locale ? escaped : `<span lang="${text.lang}">${escaped}</span>`;
}

/** Paragraphs separated by blank lines, single newlines kept as line breaks, all escaped. */
function htmlParagraphs(text: Text | undefined, locale: Locale): string {
  if (!text) return '';
  const langAttr = text.lang === locale ? '' : ` lang="${text.lang}"`;
  return text.text
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => `<p${langAttr}>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

function htmlList(items: Text[], locale: Locale, className?: string): string {
  const cls = className ? ` class="${className}"` : '';
  return `<ul${cls}>\n${items.map((item) => `<li>${html(item, locale)}</li>`).join('\n')}\n</ul>`;
}

function htmlAssets(assets: PolicyView['inScope'], locale: Locale): string {
  const items = assets.map((a) => {
    const description = a.description ? ` — ${html(a.description, locale)}` : '';
    return `<li><code>${escapeHtml(a.identifier)}</code> (${escapeHtml(a.kind)})${description}</li>`;
  });
  return `<ul>\n${items.join('\n')}\n</ul>`;
}

/** The policy page's `<main>` content: every value escaped here. */
export function renderPolicyBody(source: ProgramSource, locale: Locale, context: PolicyContext): string {
  const view = policyView(source, locale, context);
  const t = (key: string, vars?: Record<string, unknown>) =>
    escapeHtml(translate(locale, `vdp-policy:${key}`, vars));
  const urls = programUrls(context.publicUrl);
  const section = (id: string, heading: string, content: string) =>
    `<section aria-labelledby="${id}">\n<h2 id="${id}">${heading}</h2>\n${content}\n</section>`;
  const parts: string[] = [
    `<h1>${escapeHtml(view.title)}</h1>`,
    `<p class="lead">${escapeHtml(view.summary)}</p>`,
    `<p><a class="button" href="${escapeHtml(urls.reportForm(locale))}">${t('reportButton')}</a></p>`,
    htmlParagraphs(view.introduction, locale),
  ];

  const contacts = view.contacts.map(
    (c) =>
      `<li>${escapeHtml(c.label)}${t('contactSeparator')}<a href="${escapeHtml(c.uri)}">${escapeHtml(c.shown)}</a></li>`,
  );
  if (view.encryption) {
    contacts.push(
      `<li><a href="${escapeHtml(view.encryption.url)}">${t('encryptionLink')}</a> — ${t('encryptionFingerprint', { fingerprint: view.encryption.fingerprint })}</li>`,
    );
  }
  parts.push(
    section(
      'report',
      t('sections.report'),
      `<ul>\n${contacts.join('\n')}\n</ul>\n${htmlParagraphs(view.guidance, locale)}`,
    ),
  );

  const scope = [`<h3>${t('sections.inScope')}</h3>`];
  scope.push(view.inScope.length > 0 ? htmlAssets(view.inScope, locale) : `<p>${t('noAssets')}</p>`);
  if (view.outOfScope.length > 0)
    scope.push(`<h3>${t('sections.outOfScopeAssets')}</h3>`, htmlAssets(view.outOfScope, locale));
  if (view.categories.length > 0 || view.reserveRight) {
    scope.push(`<h3>${t('sections.outOfScopeCategories')}</h3>`);
    if (view.categories.length > 0) scope.push(htmlList(view.categories, locale, 'out-of-scope'));
    if (view.reserveRight) scope.push(`<p class="reserve-right">${escapeHtml(view.reserveRight)}</p>`);
  }
  parts.push(section('scope', t('sections.scope'), scope.join('\n')));
  if (view.rules.length > 0) parts.push(section('rules', t('sections.rules'), htmlList(view.rules, locale)));
  if (view.promises.length > 0)
    parts.push(section('promises', t('sections.promises'), htmlList(view.promises, locale)));
  parts.push(
    section(
      'timeline',
      t('sections.timeline'),
      `<ul>\n${view.timeline.map((line) => `<li>${escapeHtml(line)}</li>`).join('\n')}\n</ul>`,
    ),
  );
  if (view.safeHarbor)
    parts.push(section('safe-harbor', t('sections.safeHarbor'), htmlParagraphs(view.safeHarbor, locale)));
  parts.push(
    section(
      'thanks',
      t('sections.thanks'),
      `<p>${t('thanksText')} <a href="${escapeHtml(view.thanksUrl)}">${t('thanksLink')}</a></p>
<p>${t('advisoriesText')} <a href="${escapeHtml(view.advisoriesUrl)}">${t('advisoriesLink')}</a></p>`,
    ),
  );
  parts.push(`<p class="meta">${escapeHtml(view.version)}</p>`);
  return parts.filter(Boolean).join('\n');
}
