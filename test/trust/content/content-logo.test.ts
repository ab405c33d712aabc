import { describe, expect, it } from 'vitest';
import { checkLogo } from '../../../src/trust/content/content.logo.ts';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('checkLogo', () => {
  it('accepts a PNG given as base64 or as a data URL, typed by its bytes', () => {
    expect(checkLogo(PNG)).toEqual({ ok: true, base64: PNG, type: 'image/png' });
    expect(checkLogo(`data:image/jpeg;base64,${PNG}`)).toMatchObject({ ok: true, type: 'image/png' });
  });

  it('recognises JPEG and WebP signatures', () => {
    expect(checkLogo(b64(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])))).toMatchObject({
      type: 'image/jpeg',
    });
    expect(
      checkLogo(b64(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))),
    ).toMatchObject({
      type: 'image/webp',
    });
  });

  it('accepts a plain SVG with an XML declaration and a local gradient reference', () => {
    const svg =
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="4" height="4"/><use href="#g"/></svg>';
    expect(checkLogo(b64(svg))).toMatchObject({ ok: true, type: 'image/svg+xml' });
  });

  const refused: [string, string][] = [
    ['<svg onload="alert(1)"></svg>', 'event handler'],
    ['<svg><foreignObject><p>x</p></foreignObject></svg>', 'embeds'],
    ['<svg><a href="javascript:alert(1)">x</a></svg>', 'script URL'],
    ['<svg><image href="https://tracker.example/p.png"/></svg>', 'links to another resource'],
    ['<svg><style>@import url(https://x.example/a.css);</style></svg>', 'styles'],
    ['<!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>', 'must be a PNG'],
    ['<svg><!DOCTYPE x></svg>', 'DOCTYPE'],
  ];
  for (const [svg, reason] of refused) {
    it(`refuses the SVG ${svg.slice(0, 40)}… (${reason})`, () => {
      const result = checkLogo(b64(svg));
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.reason).toContain(reason);
    });
  }

  it('refuses text that is not base64, and images over 256 KiB', () => {
    expect(checkLogo('not base64!')).toEqual({ ok: false, reason: 'the logo is not valid base64' });
    const big = Buffer.concat([Buffer.from(PNG, 'base64'), Buffer.alloc(256 * 1024)]);
    expect(checkLogo(big.toString('base64'))).toMatchObject({ ok: false });
  });

  it('refuses a GIF', () => {
    expect(checkLogo(b64('GIF89a....'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('PNG, JPEG, WebP or SVG'),
    });
  });
});
