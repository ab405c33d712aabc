export const LOGO_MAX_BYTES = 256 * 1024;

export type LogoType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/svg+xml';

export type CheckedLogo = { ok: true; base64: string; type: LogoType } | { ok: false; reason: string };

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Checks an uploaded logo: base64 (or a base64 data: URL), at most 256 KiB decoded, and really a PNG,
 * JPEG, WebP or SVG by its bytes (a declared type is ignored). An SVG is refused rather than cleaned
 * when it holds anything active or external (script, event handlers, foreignObject, links to other
 * documents, entities), since it is shown as an image only and needs none of these.
 */
export function checkLogo(input: string): CheckedLogo {
  const raw = input.trim();
  const base64 = (DATA_URL.exec(raw)?.[2] ?? raw).replace(/\s+/g, '');
  if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64.test(base64))
    return { ok: false, reason: 'the logo is not valid base64' };
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > LOGO_MAX_BYTES)
    return { ok: false, reason: `the logo is larger than ${LOGO_MAX_BYTES} bytes` };
  const type = sniffImage(bytes);
  if (!type) return { ok: false, reason: 'the logo must be a PNG, JPEG, WebP or SVG image' };
  if (type === 'image/svg+xml') {
    const problem = unsafeSvgReason(bytes.toString('utf8'));
    if (problem) return { ok: false, reason: `the SVG logo was refused: ${problem}` };
  }
  return { ok: true, base64: bytes.toString('base64'), type };
}

function sniffImage(bytes: Buffer): LogoType | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  const text = bytes
    .subarray(0, 1024)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  // An SVG starts with <svg, possibly after an XML declaration and comments.
  if (/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(text)) return 'image/svg+xml';
  return undefined;
}

function unsafeSvgReason(svg: string): string | undefined {
  if (/<!DOCTYPE|<!ENTITY/i.test(svg)) return 'it declares a DOCTYPE or entities';
  if (/<\s*script/i.test(svg)) return 'it contains a script';
  if (/<\s*(foreignObject|iframe|embed|object)\b/i.test(svg)) return 'it embeds other content';
  if (/\son[a-z]+\s*=/i.test(svg)) return 'it has event handler attributes';
  if (/javascript:|data:text\/html/i.test(svg)) return 'it contains a script URL';
  // Any href other than a same-document fragment (#id) points at another resource.
  for (const match of svg.matchAll(/\b(?:xlink:)?href\s*=\s*["']([^"']*)["']/gi)) {
    if (!(match[1] ?? '').startsWith('#')) return 'it links to another resource';
  }
  if (/url\(\s*["']?(?!#)/i.test(svg) || /@import/i.test(svg)) return 'it loads a resource from its styles';
  return undefined;
}
