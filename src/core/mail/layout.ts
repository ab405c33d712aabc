import type { Locale } from '../i18n/locales.ts';
import { escapeHtml } from './html.ts';

/**
 * The parts of a transactional email, as plain (unescaped) text. Every template produces
 * one; the layout turns it into a text and an HTML body so both always say the same thing.
 */
export type MailContent = {
  subject: string;
  heading: string;
  greeting: string;
  /** Paragraphs before the call to action. */
  paragraphs: string[];
  /**
   * A single primary link. `textLabel` is the label with the locale's colon for the text body;
   * `fallbackLabel` introduces the raw URL in HTML for clients that don't render the button.
   */
  action?: { label: string; url: string; textLabel: string; fallbackLabel: string };
  /** Paragraphs after the call to action (expiry, "ignore this if…", warnings). */
  notes: string[];
  /** A way out for list mail (subscription notices), shown with the footer. */
  unsubscribe?: { label: string; url: string };
  footer: string;
};

/** Plain-text body: the content in reading order, the URL on its own line so it stays clickable. */
export function renderText(content: MailContent): string {
  const blocks = [content.heading, content.greeting, ...content.paragraphs];
  if (content.action) blocks.push(`${content.action.textLabel}\n${content.action.url}`);
  const unsubscribe = content.unsubscribe ? `\n${content.unsubscribe.label}: ${content.unsubscribe.url}` : '';
  blocks.push(...content.notes, `-- \n${content.footer}${unsubscribe}`);
  return `${blocks.join('\n\n')}\n`;
}

/**
 * HTML body: one centred column, inline styles only (mail clients drop <style> and external
 * CSS), `lang` set for screen readers and hyphenation, colours meeting WCAG AA contrast.
 * Every string from `content` is escaped here, exactly once.
 */
export function renderHtml(content: MailContent, locale: Locale): string {
  const paragraph = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  const action = content.action
    ? [
        '<p style="margin:24px 0">',
        `<a href="${escapeHtml(content.action.url)}" style="display:inline-block;padding:12px 20px;`,
        'background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600">',
        `${escapeHtml(content.action.label)}</a></p>`,
        `<p style="margin:0 0 16px;font-size:14px;color:#4b5563">${escapeHtml(content.action.fallbackLabel)}<br>`,
        `<a href="${escapeHtml(content.action.url)}" style="color:#1d4ed8;word-break:break-all">`,
        `${escapeHtml(content.action.url)}</a></p>`,
      ].join('')
    : '';

  return [
    '<!DOCTYPE html>',
    `<html lang="${locale}" dir="ltr">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${escapeHtml(content.subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:24px 12px;background:#f3f4f6">',
    // role=article + label lets screen readers announce the message like a web mail client does.
    [
      `<div role="article" aria-roledescription="email" aria-label="${escapeHtml(content.subject)}" lang="${locale}"`,
      ' style="max-width:560px;margin:0 auto;padding:32px;background:#ffffff;border-radius:8px;',
      "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;",
      'color:#111827">',
    ].join(''),
    `<h1 style="margin:0 0 24px;font-size:22px;line-height:1.3">${escapeHtml(content.heading)}</h1>`,
    paragraph(content.greeting),
    ...content.paragraphs.map(paragraph),
    action,
    ...content.notes.map(paragraph),
    '<hr style="margin:32px 0 16px;border:none;border-top:1px solid #e5e7eb">',
    `<p style="margin:0;font-size:13px;color:#4b5563">${escapeHtml(content.footer)}</p>`,
    ...(content.unsubscribe
      ? [
          `<p style="margin:8px 0 0;font-size:13px"><a href="${escapeHtml(content.unsubscribe.url)}" style="color:#1d4ed8">${escapeHtml(content.unsubscribe.label)}</a></p>`,
        ]
      : []),
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// Links are built by our own code, but a javascript: or relative URL here would be a bug
// that turns into a broken or dangerous button, so refuse it loudly.
export function httpUrl(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new TypeError('mail link must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('mail link must be an absolute http(s) URL');
  }
  return link;
}
