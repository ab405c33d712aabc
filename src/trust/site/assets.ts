import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The site's one stylesheet, read once at start; its hash versions the URL so it can be cached for a year. */
export const stylesheet = readFileSync(new URL('./trust.css', import.meta.url));

export const stylesheetVersion = createHash('sha256').update(stylesheet).digest('hex').slice(0, 12);

export const STYLESHEET_PATH = '/assets/trust.css';

/** `/assets/trust.css?v=<hash>`: changes whenever the file does. */
export function stylesheetHref(): string {
  return `${STYLESHEET_PATH}?v=${stylesheetVersion}`;
}

/** The shield icon of the public site and the admin app, at the root where browsers look for it. */
export const FAVICON_PATH = '/favicon.svg';
export const favicon = readFileSync(new URL('../../../assets/favicon.svg', import.meta.url));
