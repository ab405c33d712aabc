import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { formatDateTime, type Locale, translate } from '../../core/i18n/index.ts';
import { fontRuns } from '../documents/watermark.ts';

/** What the signed copy shows: the exact text accepted and who accepted it, when, from where. */
export type SignedNda = {
  locale: Locale;
  companyName: string;
  title: string;
  body: string;
  version: number;
  textSha256: string;
  acceptanceId: string;
  fullName: string;
  email: string;
  company: string;
  ip: string | null;
  userAgent: string | null;
  acceptedAt: Date;
};

// The same fonts the download stamp embeds (assets/fonts/README.md): any name prints, "Zoë Łukasz 田中" too.
const FONT_URLS = {
  latin: new URL('../../../assets/fonts/NotoSans-Regular.ttf', import.meta.url),
  cjk: new URL('../../../assets/fonts/DroidSansFallbackFull.ttf', import.meta.url),
};
let fontBytes: { latin: Uint8Array; cjk: Uint8Array } | undefined;

function loadFontBytes() {
  fontBytes ??= { latin: readFileSync(FONT_URLS.latin), cjk: readFileSync(FONT_URLS.cjk) };
  return fontBytes;
}

const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
const MARGIN = 56;
const BODY_SIZE = 10;
const LINE_HEIGHT = 1.45;

type Fonts = { latin: PDFFont; cjk: PDFFont | undefined };

/**
 * Renders the signed NDA as a PDF (A4): title, the accepted text, then a signature block in the visitor's
 * language. Text is drawn with embedded subsets of Noto Sans, plus Droid Sans Fallback only when a CJK
 * character appears, so the copy stays small.
 */
export async function renderSignedNdaPdf(nda: SignedNda): Promise<Uint8Array> {
  const t = (key: string, vars?: Record<string, unknown>) =>
    translate(nda.locale, `trust-access:ndaPdf.${key}`, vars);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(`${nda.title} — ${nda.fullName}`);
  doc.setAuthor(nda.companyName);
  doc.setCreationDate(nda.acceptedAt);
  doc.setProducer('Attest');
  const bytes = loadFontBytes();
  const signature = signatureLines(nda, t);
  const everything = [nda.title, nda.body, ...signature].join('\n');
  const needsCjk = fontRuns(everything).some((run) => run.font === 'cjk');
  const fonts: Fonts = {
    latin: await doc.embedFont(bytes.latin, { subset: true }),
    cjk: needsCjk ? await doc.embedFont(bytes.cjk, { subset: true }) : undefined,
  };
  const writer = new PageWriter(doc, fonts);
  writer.paragraph(nda.title, 16);
  writer.paragraph(t('meta', { companyName: nda.companyName, version: nda.version }), 9, 0.35);
  writer.gap(8);
  for (const paragraph of nda.body.split(/\n{2,}/)) {
    writer.paragraph(paragraph.replace(/\n/g, ' '), BODY_SIZE);
    writer.gap(4);
  }
  writer.gap(12);
  writer.paragraph(t('signatureHeading'), 12);
  for (const line of signature) writer.paragraph(line, 9);
  return doc.save();
}

function signatureLines(
  nda: SignedNda,
  t: (key: string, vars?: Record<string, unknown>) => string,
): string[] {
  return [
    t('acceptedBy', { fullName: nda.fullName }),
    t('email', { email: nda.email }),
    t('company', { company: nda.company }),
    t('acceptedAt', {
      time: formatDateTime(nda.locale, nda.acceptedAt, 'UTC'),
      iso: nda.acceptedAt.toISOString(),
    }),
    t('ip', { ip: nda.ip ?? '—' }),
    t('userAgent', { userAgent: nda.userAgent ?? '—' }),
    t('textSha256', { sha256: nda.textSha256 }),
    t('acceptanceId', { id: nda.acceptanceId }),
  ];
}

/** Lays out wrapped lines top to bottom, adding pages as needed. */
class PageWriter {
  private page: PDFPage;
  private y: number;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Fonts,
  ) {
    this.page = doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - MARGIN;
  }

  gap(points: number): void {
    this.y -= points;
  }

  paragraph(text: string, size: number, grey = 0): void {
    for (const line of this.wrap(text, size, PAGE.width - 2 * MARGIN)) {
      if (this.y - size * LINE_HEIGHT < MARGIN) {
        this.page = this.doc.addPage([PAGE.width, PAGE.height]);
        this.y = PAGE.height - MARGIN;
      }
      this.y -= size * LINE_HEIGHT;
      let x = MARGIN;
      for (const run of fontRuns(line)) {
        const font = this.fontOf(run.font);
        this.page.drawText(run.text, { x, y: this.y, size, font, color: rgb(grey, grey, grey) });
        x += font.widthOfTextAtSize(run.text, size);
      }
    }
  }

  private fontOf(kind: 'latin' | 'cjk'): PDFFont {
    return kind === 'cjk' && this.fonts.cjk ? this.fonts.cjk : this.fonts.latin;
  }

  private width(text: string, size: number): number {
    return fontRuns(text).reduce(
      (sum, run) => sum + this.fontOf(run.font).widthOfTextAtSize(run.text, size),
      0,
    );
  }

  /** Greedy word wrap; a word wider than the line (a long hash, CJK text) breaks between characters. */
  private wrap(text: string, size: number, maxWidth: number): string[] {
    const lines: string[] = [];
    let line = '';
    const push = (piece: string) => {
      const candidate = line ? `${line} ${piece}` : piece;
      if (this.width(candidate, size) <= maxWidth) {
        line = candidate;
        return;
      }
      if (line) lines.push(line);
      line = '';
      let chunk = '';
      for (const char of piece) {
        if (this.width(chunk + char, size) > maxWidth && chunk) {
          lines.push(chunk);
          chunk = '';
        }
        chunk += char;
      }
      line = chunk;
    };
    for (const word of text.split(/ +/).filter(Boolean)) push(word);
    if (line || lines.length === 0) lines.push(line);
    return lines;
  }
}
