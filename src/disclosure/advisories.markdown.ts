import { Marked, type Tokens } from 'marked';
import { escapeHtml } from '../core/mail/html.ts';

/** Links a reader may follow: web, mail, and paths or anchors on this site. No `javascript:` or `data:`. */
const SAFE_HREF = /^(https?:\/\/|mailto:|\/(?!\/)|#)/i;

/**
 * Markdown of advisories, rendered for the public pages. Raw HTML (blocks and inline tags) is shown as
 * text, never passed through; links keep only safe schemes (others become plain text); images become
 * links (the pages load nothing from elsewhere); headings start at level 3, under the page's own (# and ## become h3).
 */
const markdown = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    heading({ tokens, depth }: Tokens.Heading) {
      const level = Math.min(Math.max(depth + 1, 3), 6);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    link({ href, title, tokens }: Tokens.Link) {
      const text = this.parser.parseInline(tokens);
      if (!SAFE_HREF.test(href)) return text;
      const titled = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${titled} rel="nofollow noopener">${text}</a>`;
    },
    image({ href, text }: Tokens.Image) {
      const label = escapeHtml(text || href);
      return SAFE_HREF.test(href)
        ? `<a href="${escapeHtml(href)}" rel="nofollow noopener">${label}</a>`
        : label;
    },
  },
});

/** Markdown to HTML that is safe to put in a page as is. */
export function renderMarkdown(source: string): string {
  return markdown.parse(source, { async: false }) as string;
}
