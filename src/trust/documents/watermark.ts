import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import {
  beginText,
  concatTransformationMatrix,
  drawObject,
  endText,
  nextLine,
  PDFDocument,
  type PDFDocument as PDFDocumentType,
  type PDFFont,
  type PDFPage,
  type PDFRef,
  popGraphicsState,
  pushGraphicsState,
  setFillingRgbColor,
  setFontAndSize,
  setLineHeight,
  showText,
} from 'pdf-lib';

/**
 * Stamps PDFs for download: a few lines of text at the visible bottom of every page (recipient, time,
 * download id), drawn with embedded subsets of two fonts so any name prints (see assets/fonts/README.md).
 * The stamp is one form XObject drawn on every page, so a 50-page file costs one text layout, not fifty.
 */

type Fontkit = Parameters<PDFDocumentType['registerFontkit']>[0];
type FontkitFont = ReturnType<Fontkit['create']>;

const FONT_FILES = {
  latin: new URL('../../../assets/fonts/NotoSans-Regular.ttf', import.meta.url),
  cjk: new URL('../../../assets/fonts/DroidSansFallbackFull.ttf', import.meta.url),
};

type LoadedFont = { bytes: Uint8Array; font: FontkitFont };
type Fonts = { latin: LoadedFont; cjk: LoadedFont };
let fonts: Fonts | undefined;

/** Reads and parses the fonts once per process (about 4.5 MB); later documents reuse the parsed tables. */
function loadFonts(): Fonts {
  if (!fonts) {
    const load = (url: URL): LoadedFont => {
      const bytes = readFileSync(url);
      return { bytes, font: fontkit.create(bytes) };
    };
    fonts = { latin: load(FONT_FILES.latin), cjk: load(FONT_FILES.cjk) };
  }
  return fonts;
}

/**
 * pdf-lib parses a font's bytes again for every document it is embedded in; handing it the parsed
 * font we already hold (looked up by the very same byte array) saves most of the time of a stamp.
 * Subsetting creates its own objects per document, so sharing the parsed font is safe.
 */
const cachingFontkit: Fontkit = {
  create(buffer, postscriptName) {
    const loaded = loadFonts();
    if (buffer === loaded.latin.bytes) return loaded.latin.font;
    if (buffer === loaded.cjk.bytes) return loaded.cjk.font;
    return fontkit.create(buffer, postscriptName);
  },
};

export type PdfCheck = 'ok' | 'encrypted' | 'unreadable';

/**
 * Whether a PDF can be stamped: `encrypted` when it has an /Encrypt entry in its trailer (pdf-lib refuses
 * to change those, and editing would break them anyway), `unreadable` when it doesn't parse or has no page.
 */
export async function checkPdf(bytes: Uint8Array): Promise<PdfCheck> {
  try {
    // Loaded with ignoreEncryption so an encrypted file parses and says so itself (`isEncrypted` reads the
    // trailer's /Encrypt); pdf-lib's EncryptedPDFError can't be caught by class (its ES5 build loses it).
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    if (doc.isEncrypted) return 'encrypted';
    return doc.getPageCount() > 0 ? 'ok' : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/**
 * Makes sure each character's glyph knows which character it draws. pdf-lib writes the ToUnicode map
 * (what text extraction and search read) from `glyph.codePoints`; fontkit caches glyph objects per font,
 * and a glyph first met as a part of a composite one (the period inside "·" in Noto Sans) is cached with
 * no code points. With the parsed font shared between documents, a later "." would then extract as
 * nothing. Filling in only empty lists leaves every other glyph as fontkit made it.
 */
function mapCharacters(font: FontkitFont, text: string): void {
  for (const char of text) {
    const codePoint = char.codePointAt(0);
    if (codePoint === undefined) continue;
    const glyph = font.glyphForCodePoint(codePoint);
    if (glyph.codePoints.length === 0) glyph.codePoints = [codePoint];
  }
}

type Run = { font: 'latin' | 'cjk'; text: string };

/**
 * Splits a line into runs of one font each: the Latin font where it has the glyph, else the CJK font,
 * else `?` (a name in a script neither font covers still prints, partly, instead of failing the download).
 * Text is NFC-normalised and every kind of space (Intl's narrow no-break space in "2:30 PM") becomes ' '.
 */
export function fontRuns(line: string): Run[] {
  const { latin, cjk } = loadFonts();
  const runs: Run[] = [];
  const clean = line
    .normalize('NFC')
    .replace(/\s/gu, ' ')
    .replace(/\p{Cc}/gu, '');
  for (const char of clean) {
    const codePoint = char.codePointAt(0) ?? 63;
    let font: Run['font'] = 'latin';
    let text = char;
    if (!latin.font.hasGlyphForCodePoint(codePoint)) {
      if (cjk.font.hasGlyphForCodePoint(codePoint)) font = 'cjk';
      else text = '?';
    }
    const last = runs.at(-1);
    if (last && last.font === font) last.text += text;
    else runs.push({ font, text });
  }
  return runs;
}

const FONT_SIZE = 7;
const MIN_FONT_SIZE = 4;
const LINE_GAP = 1.3;
const MARGIN = 14;
const GREY = 0.35;

/**
 * Returns a copy of `pdf` with `lines` printed at the foot of every page, in the page's reading
 * orientation (rotated pages included), shrunk to fit the narrowest page.
 *
 * Throws for an encrypted PDF and pdf-lib's parse errors for a broken one; uploads are
 * checked with `checkPdf`, so a stored PDF is neither.
 */
export async function stampPdf(pdf: Uint8Array, lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  doc.registerFontkit(cachingFontkit);
  const loaded = loadFonts();
  const runsByLine = lines.map(fontRuns);
  for (const runs of runsByLine) for (const run of runs) mapCharacters(loaded[run.font].font, run.text);
  const needsCjk = runsByLine.some((runs) => runs.some((run) => run.font === 'cjk'));
  const embedded = {
    latin: await doc.embedFont(loaded.latin.bytes, { subset: true }),
    cjk: needsCjk ? await doc.embedFont(loaded.cjk.bytes, { subset: true }) : undefined,
  };
  const fontOf = (run: Run): PDFFont => (run.font === 'cjk' && embedded.cjk ? embedded.cjk : embedded.latin);
  const widthAt1 = Math.max(
    1,
    ...runsByLine.map((runs) =>
      runs.reduce((sum, run) => sum + fontOf(run).widthOfTextAtSize(run.text, 1), 0),
    ),
  );
  const pages = doc.getPages();
  const narrowest = Math.min(...pages.map((page) => visibleSize(page).width));
  const size = Math.max(MIN_FONT_SIZE, Math.min(FONT_SIZE, (narrowest - 2 * MARGIN) / widthAt1));
  const leading = size * LINE_GAP;

  // One form XObject holds the text; each page draws it, placed and turned for that page.
  const names = { latin: 'WmL', cjk: 'WmC' } as const;
  const operators = [beginText(), setFillingRgbColor(GREY, GREY, GREY), setLineHeight(leading)];
  runsByLine.forEach((runs, index) => {
    if (index > 0) operators.push(nextLine());
    for (const run of runs) {
      operators.push(setFontAndSize(names[run.font], size), showText(fontOf(run).encodeText(run.text)));
    }
  });
  operators.push(endText());
  // The origin is the first line's baseline; later lines go down from it.
  const below = leading * (lines.length - 1) + size;
  const fontResources: Record<string, PDFRef> = { [names.latin]: embedded.latin.ref };
  if (embedded.cjk) fontResources[names.cjk] = embedded.cjk.ref;
  const stamp = doc.context.register(
    doc.context.formXObject(operators, {
      BBox: [-1, -below, widthAt1 * size + 1, size * 1.5],
      Matrix: [1, 0, 0, 1, 0, 0],
      Resources: { Font: fontResources },
    }),
  );
  const baselineFromBottom = MARGIN + leading * (lines.length - 1);
  for (const page of pages) {
    const name = page.node.newXObject('Wm', stamp);
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(...placement(page, MARGIN, baselineFromBottom)),
      drawObject(name),
      popGraphicsState(),
    );
  }
  return doc.save();
}

/** The page as seen: its crop box, with width and height swapped for pages turned a quarter. */
function visibleSize(page: PDFPage): { width: number; height: number } {
  const box = page.getCropBox();
  const quarter = normalizedRotation(page) % 180 === 90;
  return quarter ? { width: box.height, height: box.width } : { width: box.width, height: box.height };
}

/** 0, 90, 180 or 270: /Rotate must be a multiple of 90 and may be negative or above 360. */
function normalizedRotation(page: PDFPage): number {
  const angle = ((page.getRotation().angle % 360) + 360) % 360;
  return angle - (angle % 90);
}

/**
 * The matrix that puts the stamp's origin `left` from the visible left edge and `bottom` above the visible
 * bottom edge, its text running left to right as the reader sees the page. /Rotate turns the page
 * clockwise when shown (ISO 32000-1 §7.7.3.3), so the visible bottom is the box's bottom, right, top or
 * left edge for 0, 90, 180 and 270 degrees.
 */
function placement(
  page: PDFPage,
  left: number,
  bottom: number,
): [number, number, number, number, number, number] {
  const { x, y, width, height } = page.getCropBox();
  switch (normalizedRotation(page)) {
    case 90:
      return [0, 1, -1, 0, x + width - bottom, y + left];
    case 180:
      return [-1, 0, 0, -1, x + width - left, y + height - bottom];
    case 270:
      return [0, -1, 1, 0, x + bottom, y + height - left];
    default:
      return [1, 0, 0, 1, x + left, y + bottom];
  }
}

/**
 * The content types a download stamps: PDF only. Other files (Word, Excel, images, ZIP) are served as
 * uploaded, unmarked; the admin is warned when such a file sits behind a request or an NDA.
 */
export const STAMPED_CONTENT_TYPES: readonly string[] = ['application/pdf'];

export function isStamped(contentType: string): boolean {
  return STAMPED_CONTENT_TYPES.includes(contentType);
}
