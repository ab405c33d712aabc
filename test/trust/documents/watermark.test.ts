import { randomUUID } from 'node:crypto';
import { degrees, PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it, vi } from 'vitest';
import { stampLines } from '../../../src/trust/documents/downloads.service.ts';
import { checkPdf, fontRuns, stampPdf } from '../../../src/trust/documents/watermark.ts';
import { ENCRYPTED_PDF, makePdf, pdfPageTexts } from '../../fixtures/trust.ts';

/** The /BaseFont of every font dictionary in a PDF. */
async function embeddedFontNames(pdf: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(pdf);
  return doc.context
    .enumerateIndirectObjects()
    .map(([, object]) => object)
    .filter((object): object is PDFDict => object instanceof PDFDict)
    .filter((dict) => dict.get(PDFName.of('Type')) === PDFName.of('Font'))
    .map((dict) => String(dict.get(PDFName.of('BaseFont')) ?? ''));
}

const visitor = { name: 'Zoë Łukasz 田中', company: 'Ünïcode Sp. z o.o.', email: 'zoe@buyer.example' };

describe('the PDF watermark', () => {
  it('prints the e-mail and the download id on every page of a multi-page PDF', async () => {
    const downloadId = randomUUID();
    const lines = stampLines('en', visitor, new Date('2026-03-05T14:30:00Z'), downloadId);
    const stamped = await stampPdf(await makePdf({ pages: 7 }), lines);

    const pages = await pdfPageTexts(stamped);
    expect(pages).toHaveLength(7);
    pages.forEach((text, index) => {
      expect(text, `page ${index + 1}`).toContain(`page ${index + 1}`);
      expect(text, `page ${index + 1}`).toContain('zoe@buyer.example');
      expect(text, `page ${index + 1}`).toContain(downloadId);
      expect(text, `page ${index + 1}`).toContain('Ünïcode Sp. z o.o.');
    });
  });

  it('embeds a font that prints "Zoë Łukasz 田中" so the text comes back out intact', async () => {
    const stamped = await stampPdf(await makePdf({ pages: 2 }), [`Downloaded by ${visitor.name}`]);
    const pages = await pdfPageTexts(stamped);
    for (const text of pages) expect(text).toContain('Downloaded by Zoë Łukasz 田中');
    const fonts = await embeddedFontNames(stamped);
    expect(fonts.some((name) => name.includes('NotoSans-Regular'))).toBe(true);
    expect(fonts.some((name) => name.includes('DroidSansFallback'))).toBe(true);
  });

  it('keeps every character extractable across documents, including glyphs first seen inside composites', async () => {
    // In Noto Sans "·" is built from the period glyph: stamping it first must not break a later ".".
    // A fresh copy of the module, so no earlier test has cached the period glyph already.
    vi.resetModules();
    const fresh = await import('../../../src/trust/documents/watermark.ts');
    await fresh.stampPdf(await makePdf(), ['a · b']);
    const [text] = await pdfPageTexts(
      await fresh.stampPdf(await makePdf(), ['Sp. z o.o. <zoe@buyer.example>']),
    );
    expect(text).toContain('Sp. z o.o. <zoe@buyer.example>');
  });

  it('uses the Latin font alone when no character needs the CJK one', async () => {
    const fonts = await embeddedFontNames(await stampPdf(await makePdf(), ['Zoë Łukasz']));
    expect(fonts.some((name) => name.includes('NotoSans-Regular'))).toBe(true);
    expect(fonts.some((name) => name.includes('DroidSansFallback'))).toBe(false);
  });

  it('writes the stamp in the visitor’s language with the time in UTC', async () => {
    const at = new Date('2026-03-05T14:30:00Z');
    const [es] = await pdfPageTexts(await stampPdf(await makePdf(), stampLines('es', visitor, at, 'id-1')));
    expect(es).toContain('Descargado por Zoë Łukasz 田中');
    expect(es).toContain('5 de marzo de 2026');
    expect(es).toContain('14:30 UTC');
    expect(es).toContain('ID de descarga id-1');
    const [fr] = await pdfPageTexts(await stampPdf(await makePdf(), stampLines('fr', visitor, at, 'id-2')));
    expect(fr).toContain('Téléchargé par Zoë Łukasz 田中');
    expect(fr).toContain('5 mars 2026');
  });

  it('stamps rotated pages too, keeping their rotation', async () => {
    const doc = await PDFDocument.load(await makePdf({ pages: 4 }));
    doc.getPages().forEach((page, index) => {
      page.setRotation(degrees(index * 90));
    });
    const stamped = await stampPdf(await doc.save(), ['rotated stamp']);
    const pages = await pdfPageTexts(stamped);
    for (const text of pages) expect(text).toContain('rotated stamp');
    const reloaded = await PDFDocument.load(stamped);
    expect(reloaded.getPages().map((page) => page.getRotation().angle)).toEqual([0, 90, 180, 270]);
  });

  it('prints ? for characters neither font has instead of failing', () => {
    expect(fontRuns('Kim 한 田')).toEqual([
      { font: 'latin', text: 'Kim ? ' },
      { font: 'cjk', text: '田' },
    ]);
  });

  it('turns every kind of space into a plain space and drops control characters', () => {
    expect(fontRuns('2:30\u202fPM\u00a0UTC\u0007')).toEqual([{ font: 'latin', text: '2:30 PM UTC' }]);
  });
});

describe('checking a PDF before upload', () => {
  it('accepts a plain PDF', async () => {
    expect(await checkPdf(await makePdf())).toBe('ok');
  });

  it('reports an encrypted PDF (AES-256, empty user password) as encrypted', async () => {
    expect(await checkPdf(ENCRYPTED_PDF)).toBe('encrypted');
  });

  it('reports a damaged PDF as unreadable', async () => {
    expect(await checkPdf(Buffer.from('%PDF-1.7\nnot really a pdf'))).toBe('unreadable');
  });
});
