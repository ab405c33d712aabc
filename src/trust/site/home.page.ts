import { translate } from '../../core/i18n/index.ts';
import { escapeHtml } from '../../core/mail/html.ts';
import type { SiteCertification, SiteSection } from '../publication/publication.schemas.ts';
import { localePath } from './layout.ts';
import { block, formatDate, inline, translator } from './localize.ts';
import { currentSubprocessors, isExpired, page, type SiteView, text, visibleDocuments } from './site-view.ts';

/** The trust center's front page: profile, certifications, overview, documents, subprocessors, FAQ, contact. */
export function renderHome(view: SiteView): string {
  const t = translator(view.locale);
  const { profile } = view.site;
  const summary = block(text(view, profile.summary));
  const body = [
    `<h1>${t('home.title')}</h1>`,
    summary ? `<div class="lead">${summary}</div>` : '',
    certifications(view),
    overview(view),
    documents(view),
    subprocessors(view),
    faq(view),
    contact(view),
  ].join('\n');
  return page(view, {
    path: '/',
    title: translate(view.locale, 'trust:home.title'),
    body,
    banner: view.preview ? translate(view.locale, 'trust:preview.banner') : undefined,
  });
}

function certifications(view: SiteView): string {
  const t = translator(view.locale);
  const items = view.site.certifications.map((c) => certification(view, c)).join('\n');
  return `<section aria-labelledby="certifications">
<h2 id="certifications">${t('home.certifications')}</h2>
${items ? `<ul class="cards">\n${items}\n</ul>` : `<p>${t('home.noCertifications')}</p>`}
</section>`;
}

function certification(view: SiteView, c: SiteCertification): string {
  const t = translator(view.locale);
  const facts = [
    c.auditor ? `<dt>${t('home.auditor')}</dt><dd>${escapeHtml(c.auditor)}</dd>` : '',
    c.obtainedOn ? `<dt>${t('home.obtained')}</dt><dd>${formatDate(view.locale, c.obtainedOn)}</dd>` : '',
    c.validUntil ? `<dt>${t('home.validUntil')}</dt><dd>${formatDate(view.locale, c.validUntil)}</dd>` : '',
  ].join('');
  return `<li class="card">
<h3>${escapeHtml(c.name)}</h3>
<p><span class="status status-${c.status}">${t(`certStatus.${c.status}`)}</span></p>
${facts ? `<dl class="facts">${facts}</dl>` : ''}
${block(text(view, c.description))}
${certificate(view, c)}
</li>`;
}

/**
 * A link to the certificate's document page, which applies the document's access level (download, request
 * form or NDA); the label says which, so nobody expects a file and meets a form. Nothing when the document
 * is not visible on the site (no file yet, not yet valid, archived).
 */
function certificate(view: SiteView, c: SiteCertification): string {
  const document = c.documentId ? visibleDocuments(view).find((d) => d.id === c.documentId) : undefined;
  if (!document) return '';
  const t = translator(view.locale);
  return `<p class="certificate"><a href="${localePath(view.locale, `/documents/${document.slug}`)}">${t('home.viewCertificate', { name: c.name })}</a> <span class="meta">(${t(`access.${document.accessLevel}`)})</span></p>`;
}

function overview(view: SiteView): string {
  const t = translator(view.locale);
  const narrative = view.site.sections.filter((s) => s.kind !== 'control_family');
  const families = view.site.sections.filter((s) => s.kind === 'control_family');
  const parts: string[] = [];
  if (narrative.length > 0) {
    parts.push(`<section aria-labelledby="overview">
<h2 id="overview">${t('home.overview')}</h2>
${narrative.map((s) => section(view, s)).join('\n')}
</section>`);
  }
  if (families.length > 0) {
    parts.push(`<section aria-labelledby="controls">
<h2 id="controls">${t('home.controls')}</h2>
${families.map((s) => section(view, s)).join('\n')}
</section>`);
  }
  return parts.join('\n');
}

function section(view: SiteView, s: SiteSection): string {
  const t = translator(view.locale);
  const meta = [
    s.status
      ? `<span class="status status-${s.status}"><span class="visually-hidden">${t('home.status')}: </span>${t(`sectionStatus.${s.status}`)}</span>`
      : '',
    s.lastVerifiedOn ? `${t('home.lastVerified')}: ${formatDate(view.locale, s.lastVerifiedOn)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return `<div class="section">
<h3>${inline(text(view, s.title))}</h3>
${meta ? `<p class="meta">${meta}</p>` : ''}
${block(text(view, s.body))}
</div>`;
}

function documents(view: SiteView): string {
  const t = translator(view.locale);
  const items = visibleDocuments(view)
    .map((d) => {
      const title = text(view, d.title);
      const expired = isExpired(d, view.today);
      return `<li class="card">
<h3><a href="${localePath(view.locale, `/documents/${d.slug}`)}">${inline(title)}</a></h3>
<p><span class="status status-${expired ? 'expired' : 'access'}">${expired ? t('document.expired') : t(`access.${d.accessLevel}`)}</span></p>
${block(text(view, d.description))}
</li>`;
    })
    .join('\n');
  return `<section aria-labelledby="documents">
<h2 id="documents">${t('home.documents')}</h2>
${items ? `<ul class="cards">\n${items}\n</ul>` : `<p>${t('home.noDocuments')}</p>`}
</section>`;
}

function subprocessors(view: SiteView): string {
  const t = translator(view.locale);
  const count = currentSubprocessors(view).length;
  return `<section aria-labelledby="subprocessors">
<h2 id="subprocessors">${t('home.subprocessors')}</h2>
<p>${count > 0 ? t('home.subprocessorsSummary', { count }) : t('subprocessors.empty')}</p>
<p><a href="${localePath(view.locale, '/subprocessors')}">${t('home.subprocessorsLink')}</a></p>
</section>`;
}

function faq(view: SiteView): string {
  if (view.site.faqs.length === 0) return '';
  const t = translator(view.locale);
  const items = view.site.faqs
    .map(
      (f) => `<details>
<summary>${inline(text(view, f.question))}</summary>
${block(text(view, f.answer))}
</details>`,
    )
    .join('\n');
  return `<section aria-labelledby="faq">
<h2 id="faq">${t('home.faq')}</h2>
${items}
</section>`;
}

function contact(view: SiteView): string {
  const t = translator(view.locale);
  const value = view.site.profile.securityContact;
  const href = value ? (value.includes('@') ? `mailto:${value}` : value) : undefined;
  return `<section aria-labelledby="contact">
<h2 id="contact">${t('home.contact')}</h2>
${href && value ? `<p>${t('home.contactText')} <a href="${escapeHtml(href)}">${escapeHtml(value)}</a></p>` : ''}
<ul>
<li><a href="${localePath(view.locale, '/security/policy')}">${t('home.policyLink')}</a></li>
<li><a href="${localePath(view.locale, '/updates')}">${t('home.updatesLink')}</a></li>
</ul>
</section>`;
}
