/**
 * Watermarking speed: `npm run bench:watermark`.
 *
 * Builds a 50-page PDF (A4 pages of text, like a SOC 2 report), then stamps it the way a gated download
 * does (two lines: a Unicode name, company and e-mail; the UTC time and a download id) 20 times, and
 * prints the mean and p95 in milliseconds. The first stamp of a process also reads and parses the fonts
 * (about 4.5 MB); it is timed apart as "cold" and not part of the 20. Exits 1 when a stamped file lacks
 * the download id on a page, so a broken stamp can't pass as fast. Target: well under a second.
 */
import '../src/trust/register.ts';
import { randomUUID } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { stampLines } from '../src/trust/documents/downloads.service.ts';
import { stampPdf } from '../src/trust/documents/watermark.ts';
import { describeLoad, describeMachine } from './lib.ts';

const PAGES = 50;
const RUNS = 20;
const visitor = { name: 'Zoë Łukasz 田中', company: 'Ćwiczenia Sp. z o.o.', email: 'zoe@buyer.example' };

async function makeReport(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const line =
    'The service organization maintained effective controls over the system throughout the period.';
  for (let page = 1; page <= PAGES; page++) {
    const p = doc.addPage([595, 842]);
    p.drawText(`Section ${page}`, { x: 60, y: 780, size: 16, font });
    for (let row = 0; row < 45; row++) p.drawText(line, { x: 60, y: 750 - row * 15, size: 9, font });
  }
  return doc.save();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function stampOnce(pdf: Uint8Array): Promise<{ ms: number; bytes: Uint8Array; downloadId: string }> {
  const downloadId = randomUUID();
  const started = performance.now();
  const bytes = await stampPdf(pdf, stampLines('en', visitor, new Date(), downloadId));
  return { ms: performance.now() - started, bytes, downloadId };
}

async function main(): Promise<number> {
  const pdf = await makeReport();
  console.log(describeMachine('none'));
  console.log(describeLoad('before'));
  console.log(`input: ${PAGES} pages, ${(pdf.length / 1024).toFixed(0)} KiB`);

  const cold = await stampOnce(pdf);
  const times: number[] = [];
  let last = cold;
  for (let run = 0; run < RUNS; run++) {
    last = await stampOnce(pdf);
    times.push(last.ms);
  }
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const check = await getDocument({ data: new Uint8Array(last.bytes), verbosity: 0 }).promise;
  for (let page = 1; page <= check.numPages; page++) {
    const text = (await (await check.getPage(page)).getTextContent()).items
      .map((item) => ('str' in item ? item.str : ''))
      .join('');
    if (!text.includes(last.downloadId)) {
      console.error(`page ${page} lacks the download id`);
      return 1;
    }
  }
  await check.destroy();

  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((sum, ms) => sum + ms, 0) / times.length;
  console.log(`cold (first stamp, fonts parsed): ${cold.ms.toFixed(1)} ms`);
  console.log(
    `watermark ${PAGES} pages × ${RUNS}: mean ${mean.toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, ` +
      `min ${sorted[0]?.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms; output ${(last.bytes.length / 1024).toFixed(0)} KiB`,
  );
  console.log(describeLoad('after'));
  return 0;
}

process.exitCode = await main();
