import { Marked, type Token, type Tokens } from 'marked';
import { escapeHtml } from '../../core/mail/html.ts';

/** Links a reader may follow: web, mail, and paths or anchors on this site. No `javascript:` or `data:`. */
const SAFE_HREF = /^(https?:\/\/|mailto:|\/(?!\/)|#)/i;

/**
 * Markdown of advisories, rendered for the public pages. Raw HTML (blocks and inline tags) is shown as
 * text, never passed through; links keep only safe schemes (others become plain text); images become
 * links (the pages load nothing from elsewhere); headings are re-levelled under the page's own h2 (see
 * outlineLevels), so the page's outline never skips a level whatever the author wrote.
 */
const markdown = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    heading(token: Tokens.Heading) {
      const level = renderedLevels.get(token) ?? 3;
      return `<h${level}>${this.parser.parseInline(token.tokens)}</h${level}>\n`;
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

/** The level each heading token is rendered at, set by renderMarkdown just before rendering. */
let renderedLevels = new WeakMap<Tokens.Heading, number>();

/**
 * Heading levels that follow the document's outline, starting under the page's h2: a heading nests one
 * level below the nearest earlier heading of a smaller Markdown depth, and takes the level of an earlier
 * one of the same depth. "#### a" then "# b" render as h3 and h3; "# a", "### b" as h3, h4.
 */
function outlineLevels(tokens: Token[]): WeakMap<Tokens.Heading, number> {
  const levels = new WeakMap<Tokens.Heading, number>();
  const open: { depth: number; level: number }[] = [];
  markdown.walkTokens(tokens, (token) => {
    if (token.type !== 'heading') return;
    const heading = token as Tokens.Heading;
    while (open.length > 0 && (open.at(-1) as { depth: number }).depth >= heading.depth) open.pop();
    const level = Math.min((open.at(-1)?.level ?? 2) + 1, 6);
    open.push({ depth: heading.depth, level });
    levels.set(heading, level);
  });
  return levels;
}

/** Markdown to HTML that is safe to put in a page as is. */
export function renderMarkdown(source: string): string {
  const tokens = markdown.lexer(source);
  renderedLevels = outlineLevels(tokens);
  return markdown.parser(tokens);
}

/** The text of inline or block tokens, without any markup. */
function textOf(tokens: Token[]): string {
  return tokens
    .map((token) => {
      switch (token.type) {
        case 'space':
        case 'hr':
          return '';
        case 'br':
          return '\n';
        case 'code':
          return `${token.text}\n\n`;
        case 'heading':
        case 'paragraph':
          return `${textOf(token.tokens ?? [])}\n\n`;
        case 'blockquote':
          return textOf(token.tokens ?? []);
        case 'list':
          return `${(token as Tokens.List).items.map((item) => `- ${textOf(item.tokens).trim()}`).join('\n')}\n\n`;
        case 'table': {
          const table = token as Tokens.Table;
          const row = (cells: Tokens.TableCell[]) => cells.map((cell) => textOf(cell.tokens)).join(' | ');
          return `${[row(table.header), ...table.rows.map(row)].join('\n')}\n\n`;
        }
        case 'link': {
          const link = token as Tokens.Link;
          const label = textOf(link.tokens);
          return SAFE_HREF.test(link.href) && label !== link.href ? `${label} (${link.href})` : label;
        }
        case 'image':
          return (token as Tokens.Image).text;
        default:
          return 'tokens' in token && token.tokens
            ? textOf(token.tokens)
            : ((token as { text?: string }).text ?? '');
      }
    })
    .join('');
}

/**
 * Markdown as plain text, for formats whose text fields are plain (CVE descriptions): markup removed,
 * paragraphs kept apart by a blank line, list items on their own lines, links followed by their URL.
 */
export function markdownToText(source: string): string {
  return textOf(markdown.lexer(source))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
