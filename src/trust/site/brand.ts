/**
 * The trust center's brand colour on the public site. The pages allow no inline style (style-src 'self'),
 * so the colour travels in the URL of a tiny stylesheet, `/assets/brand/0b5cad.css`, which sets the CSS
 * custom properties trust.css reads. The URL names its content: it is cached for a year like trust.css.
 */

export const BRAND_PATH_PREFIX = '/assets/brand/';
const HEX = /^[0-9a-f]{6}$/;

/** The colour as stored (`#rrggbb`, lower case) → the stylesheet's path; undefined for an invalid colour. */
export function brandStylesheetHref(brandColor: string | null | undefined): string | undefined {
  const hex = brandColor?.replace(/^#/, '').toLowerCase();
  return hex && HEX.test(hex) ? `${BRAND_PATH_PREFIX}${hex}.css` : undefined;
}

/** WCAG 2 relative luminance of an sRGB colour `rrggbb`. */
function luminance(hex: string): number {
  const channels = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio between two colours `rrggbb`, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The link colour of the default palette (trust.css), kept when the brand colour is too light for text. */
const DEFAULT_LINK = '0b5cad';
/** WCAG AA for body text. */
const TEXT_CONTRAST = 4.5;

/**
 * The stylesheet for brand colour `hex` (`rrggbb`), undefined if it is not one. Text on the colour
 * (buttons, the skip link) is black or white, whichever contrasts more; links on the white page take the
 * colour only when it reaches 4.5:1 against white, else they keep the default blue.
 */
export function brandStylesheet(hex: string): string | undefined {
  if (!HEX.test(hex)) return undefined;
  const onColour = contrastRatio(hex, '000000') >= contrastRatio(hex, 'ffffff') ? '#000000' : '#ffffff';
  const link = contrastRatio(hex, 'ffffff') >= TEXT_CONTRAST ? hex : DEFAULT_LINK;
  return `:root {\n  --brand: #${hex};\n  --accent: #${hex};\n  --accent-text: ${onColour};\n  --link: #${link};\n}\n`;
}
