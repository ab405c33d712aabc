import { describe, expect, it } from 'vitest';
import { cleanFileName } from '../../../src/trust/documents/documents.files.ts';
import { contentDisposition } from '../../../src/trust/documents/downloads.headers.ts';
import { checkFileType } from '../../../src/trust/documents/file-type.ts';
import { JPEG_BYTES, makeOoxml, makePdf, makeZip, PNG_BYTES } from '../../fixtures/trust.ts';

const kindOf = async (bytes: Uint8Array, fileName: string, contentType?: string) => {
  const result = await checkFileType(bytes, { fileName, contentType });
  return result.ok ? result.type.kind : result.reason;
};

describe('the real type of an uploaded file', () => {
  it('recognises each accepted kind by its bytes', async () => {
    expect(await kindOf(await makePdf(), 'report.pdf')).toBe('pdf');
    expect(await kindOf(PNG_BYTES, 'logo.png')).toBe('png');
    expect(await kindOf(JPEG_BYTES, 'photo.JPG')).toBe('jpeg');
    expect(await kindOf(makeOoxml('docx'), 'policy.docx')).toBe('docx');
    expect(await kindOf(makeOoxml('xlsx'), 'controls.xlsx')).toBe('xlsx');
    expect(await kindOf(makeZip([{ name: 'a.txt', data: 'hello' }]), 'bundle.zip')).toBe('zip');
    expect(await kindOf(Buffer.from('Señor, ça va ? 田中\n'), 'notes.txt')).toBe('text');
  });

  it('refuses a PNG named .pdf as a mismatch naming both types', async () => {
    const result = await checkFileType(PNG_BYTES, { fileName: 'report.pdf', contentType: 'application/pdf' });
    expect(result).toEqual({ ok: false, reason: 'mismatch', declared: '.pdf', detected: 'png' });
  });

  it('refuses a PDF whose part declares another content type', async () => {
    const result = await checkFileType(await makePdf(), { fileName: 'report.pdf', contentType: 'image/png' });
    expect(result).toEqual({ ok: false, reason: 'mismatch', declared: 'image/png', detected: 'pdf' });
  });

  it('accepts a generic octet-stream declaration and trusts the bytes', async () => {
    expect(await kindOf(await makePdf(), 'report.pdf', 'application/octet-stream')).toBe('pdf');
  });

  it('refuses binary bytes named .txt and an empty file', async () => {
    expect(await kindOf(Buffer.from([0x00, 0x01, 0x02, 0xff]), 'notes.txt')).toBe('unrecognized-content');
    expect(await kindOf(Buffer.from('\xff\xfe not utf-8', 'latin1'), 'notes.txt')).toBe(
      'unrecognized-content',
    );
    expect(await kindOf(Buffer.alloc(0), 'empty.txt')).toBe('unrecognized-content');
  });

  it('refuses extensions outside the list, even for a real PDF', async () => {
    expect(await kindOf(await makePdf(), 'report.exe')).toBe('unsupported-extension');
    expect(await kindOf(await makePdf(), 'report')).toBe('unsupported-extension');
    expect(await kindOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'logo.svg')).toBe(
      'unsupported-extension',
    );
  });

  it('tells a Word document from a plain ZIP', async () => {
    expect(await kindOf(makeOoxml('docx'), 'policy.zip')).toBe('mismatch');
  });

  it('serves CSV files as text/csv and other text as text/plain', async () => {
    const csv = await checkFileType(Buffer.from('a,b\n1,2\n'), { fileName: 'list.csv' });
    expect(csv.ok && csv.type.contentType).toBe('text/csv; charset=utf-8');
    const md = await checkFileType(Buffer.from('# Title\n'), { fileName: 'README.md' });
    expect(md.ok && md.type.contentType).toBe('text/plain; charset=utf-8');
  });
});

describe('file names', () => {
  it('keeps only the last path segment without control characters', () => {
    expect(cleanFileName('C:\\Users\\me\\..\\DPA\u0000.pdf')).toBe('DPA.pdf');
    expect(cleanFileName('../../etc/passwd.txt')).toBe('passwd.txt');
  });

  it('shortens long names to 200 characters and keeps the extension', () => {
    const cleaned = cleanFileName(`${'a'.repeat(300)}.pdf`);
    expect(cleaned).toHaveLength(200);
    expect(cleaned.endsWith('.pdf')).toBe(true);
  });

  it('offers any name for download as RFC 6266 ASCII fallback plus UTF-8 filename*', () => {
    expect(contentDisposition('attachment', 'Informe SOC 2 (año 2025) "final".pdf')).toBe(
      `attachment; filename="Informe SOC 2 (ano 2025) _final_.pdf"; filename*=UTF-8''Informe%20SOC%202%20%28a%C3%B1o%202025%29%20%22final%22.pdf`,
    );
    expect(contentDisposition('inline', '田中.pdf')).toBe(
      `inline; filename="__.pdf"; filename*=UTF-8''%E7%94%B0%E4%B8%AD.pdf`,
    );
  });
});
