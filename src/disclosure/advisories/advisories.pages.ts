import { type Locale, translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import { localePath, type PageFrame, renderPage } from '../../trust/index.ts';
import { cweName } from '../exports/export-csaf.ts';
import type { CvssScore } from './advisories.cvss.ts';
import { type AdvisoryData, CSAF_PROVIDER_METADATA_PATH, csafPath, osvPath } from './advisories.export.ts';
import { renderMarkdown } from './advisories.markdown.ts';
import { ADVISORY_LANG } from './advisories.service.ts';

/** Escaped text of the `vdp-advisories` catalog, ready for HTML. */
function text(locale: Locale) {
  return (key: string, vars?: Record<string, unknown>): string =>
    escapeHtml(translate(locale, `vdp-advisories:${key}`, vars));
}

const dateFormats = new Map<Locale, Intl.DateTimeFormat>();
/** A date for people, in a `<time>`: "March 5, 2026", "5 de marzo de 2026". */
export function humanDate(locale: Locale, date: Date): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(locale, format);
  }
  return `<time datetime="${date.toISOString()}">${escapeHtml(format.format(date))}</time>`;
}

function page(frame: PageFrame, path: string, title: string, body: string): string {
  return renderPage({
    locale: frame.locale,
    path,
    title,
    body,
    profile: frame.profile,
    defaultLocale: frame.defaultLocale,
    publicUrl: frame.publicUrl,
  });
}

function severityLabel(locale: Locale, advisory: Pick<AdvisoryData, 'cvssV3' | 'cvssV4'>): string {
  const t = text(locale);
  const score = advisory.cvssV4 ?? advisory.cvssV3;
  return score ? t(`severity.${score.baseSeverity}`) : t('severity.unrated');
}

/** The list of published advisories, newest first. */
export function renderAdvisoryList(frame: PageFrame, advisories: AdvisoryData[]): string {
  const { locale } = frame;
  const t = text(locale);
  const rows = advisories
    .map((advisory) => {
      const href = localePath(locale, `/security/advisories/${advisory.identifier}`);
      const cve = advisory.cveId ? `<br><span class="meta">${escapeHtml(advisory.cveId)}</span>` : '';
      return `<tr>
<td><a href="${escapeHtml(href)}">${escapeHtml(advisory.identifier)}</a>${cve}</td>
<td lang="${ADVISORY_LANG}">${escapeHtml(advisory.title)}</td>
<td>${severityLabel(locale, advisory)}</td>
<td>${advisory.publishedAt ? humanDate(locale, advisory.publishedAt) : ''}</td>
</tr>`;
    })
    .join('\n');
  const table = rows
    ? `<table>
<caption class="visually-hidden">${t('list.title')}</caption>
<thead><tr><th scope="col">${t('list.identifier')}</th><th scope="col">${t('list.advisoryTitle')}</th><th scope="col">${t('list.severity')}</th><th scope="col">${t('list.published')}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
    : `<p>${t('list.empty')}</p>`;
  const body = `<h1>${t('list.title')}</h1>
<p class="lead">${t('list.intro')}</p>
${table}
<p><a href="${CSAF_PROVIDER_METADATA_PATH}" type="application/json">${t('list.machineReadable')}</a></p>
<p><a href="${localePath(locale, '/security/thanks')}">${t('list.thanksLink')}</a></p>`;
  return page(frame, '/security/advisories', translate(locale, 'vdp-advisories:list.title'), body);
}

function scoreLine(locale: Locale, score: CvssScore): string {
  const t = text(locale);
  return `<dd>${t('detail.score', {
    version: `CVSS ${score.version}`,
    score: score.baseScore.toFixed(1),
    severity: translate(locale, `vdp-advisories:severity.${score.baseSeverity}`),
  })}<br><code>${escapeHtml(score.vector)}</code></dd>`;
}

function affectedTable(locale: Locale, advisory: AdvisoryData): string {
  const t = text(locale);
  const rows = advisory.affected
    .map((product) => {
      const ranges = product.ranges.map((range) => {
        if (range.introduced === '0' && !range.fixed && !range.lastAffected) return t('detail.allVersions');
        const from = range.introduced === '0' ? '' : `&gt;= ${escapeHtml(range.introduced)}`;
        const to = range.fixed
          ? `&lt; ${escapeHtml(range.fixed)}`
          : range.lastAffected
            ? `&lt;= ${escapeHtml(range.lastAffected)}`
            : '';
        return [from, to].filter(Boolean).join(', ');
      });
      const versions = [...ranges, ...product.versions.map(escapeHtml)].join('<br>');
      const fixes = product.ranges.flatMap((range) => (range.fixed ? [escapeHtml(range.fixed)] : []));
      return `<tr>
<td>${escapeHtml(product.name)}</td>
<td><code>${escapeHtml(product.purl)}</code></td>
<td>${versions}</td>
<td>${fixes.length > 0 ? fixes.join('<br>') : t('detail.noFix')}</td>
</tr>`;
    })
    .join('\n');
  return `<table>
<thead><tr><th scope="col">${t('detail.product')}</th><th scope="col">${t('detail.package')}</th><th scope="col">${t('detail.affectedVersions')}</th><th scope="col">${t('detail.fixedIn')}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

/** One published advisory. Its own text is in English (`lang="en"`); the page around it is localized. */
export function renderAdvisoryPage(frame: PageFrame, advisory: AdvisoryData): string {
  const { locale } = frame;
  const t = text(locale);
  const lastRevision = advisory.revisions.at(-1);
  const facts = [
    `<dt>${t('detail.identifier')}</dt><dd>${escapeHtml(advisory.identifier)}</dd>`,
    advisory.cveId ? `<dt>${t('detail.cve')}</dt><dd>${escapeHtml(advisory.cveId)}</dd>` : '',
    advisory.publishedAt
      ? `<dt>${t('detail.published')}</dt><dd>${humanDate(locale, advisory.publishedAt)}</dd>`
      : '',
    lastRevision && lastRevision.number > 1
      ? `<dt>${t('detail.updated')}</dt><dd>${humanDate(locale, lastRevision.date)} · ${t('detail.revision', { revision: lastRevision.number })}</dd>`
      : '',
    `<dt>${t('detail.severity')}</dt>${
      [advisory.cvssV4, advisory.cvssV3]
        .filter((score): score is CvssScore => score !== null)
        .map((score) => scoreLine(locale, score))
        .join('') || `<dd>${t('severity.unrated')}</dd>`
    }`,
  ].join('\n');
  const cwes = advisory.cweIds
    .map((id) => {
      const name = cweName(id);
      const number = id.slice(4);
      return `<li><a href="https://cwe.mitre.org/data/definitions/${number}.html" rel="nofollow noopener">${escapeHtml(id)}</a>${name ? ` <span lang="en">${escapeHtml(name)}</span>` : ''}</li>`;
    })
    .join('\n');
  const credits = advisory.credits
    .map((credit) => `<li>${t(`credit.${credit.type}`, { name: credit.name })}</li>`)
    .join('\n');
  const references = advisory.references
    .map((url) => `<li><a href="${escapeHtml(url)}" rel="nofollow noopener">${escapeHtml(url)}</a></li>`)
    .join('\n');
  const section = (title: string, content: string) => (content ? `<h2>${title}</h2>\n${content}` : '');
  const englishNote = locale === ADVISORY_LANG ? '' : `<p class="meta">${t('detail.englishOnly')}</p>`;
  const body = `<p><a href="${localePath(locale, '/security/advisories')}">${t('detail.back')}</a></p>
<h1 lang="${ADVISORY_LANG}">${escapeHtml(advisory.title)}</h1>
${englishNote}
${advisory.summary ? `<p class="lead" lang="${ADVISORY_LANG}">${escapeHtml(advisory.summary)}</p>` : ''}
<dl class="facts">
${facts}
</dl>
${section(t('detail.affected'), affectedTable(locale, advisory))}
${section(t('detail.details'), advisory.description.trim() ? `<div class="advisory-details" lang="${ADVISORY_LANG}">\n${renderMarkdown(advisory.description)}</div>` : '')}
${section(t('detail.weaknesses'), cwes ? `<ul>\n${cwes}\n</ul>` : '')}
${section(t('detail.credits'), credits ? `<ul>\n${credits}\n</ul>` : '')}
${section(t('detail.references'), references ? `<ul>\n${references}\n</ul>` : '')}
<h2>${t('detail.formats')}</h2>
<ul>
<li><a href="${escapeHtml(osvPath(advisory.identifier))}" type="application/json">${t('detail.osv')}</a></li>
<li><a href="${escapeHtml(csafPath(advisory))}" type="application/json">${t('detail.csaf')}</a></li>
</ul>`;
  return page(frame, `/security/advisories/${advisory.identifier}`, advisory.title, body);
}

export type HallOfFameYear = { year: number; names: string[] };

/** The hall of fame: researchers who agreed to be credited, by year, newest year first. */
export function renderHallOfFame(frame: PageFrame, years: HallOfFameYear[]): string {
  const { locale } = frame;
  const t = text(locale);
  const sections = years
    .map(
      ({ year, names }) => `<section aria-labelledby="year-${year}">
<h2 id="year-${year}">${t('thanks.year', { year })}</h2>
<ul>
${names.map((name) => `<li>${escapeHtml(name)}</li>`).join('\n')}
</ul>
</section>`,
    )
    .join('\n');
  const body = `<h1>${t('thanks.title')}</h1>
<p class="lead">${t('thanks.intro')}</p>
${sections || `<p>${t('thanks.empty')}</p>`}
<p><a href="${localePath(locale, '/security/advisories')}">${t('thanks.advisoriesLink')}</a></p>
<p><a href="${localePath(locale, '/security/policy')}">${t('thanks.policyLink')}</a></p>`;
  return page(frame, '/security/thanks', translate(locale, 'vdp-advisories:thanks.title'), body);
}
