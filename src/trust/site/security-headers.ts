import type { Config } from '../../core/config/config.ts';
import { staticSecurityHeaders } from '../../core/http/security-headers.ts';

/**
 * The security headers of the public pages: the app's static set (core/http/security-headers.ts), which
 * every answer already carries. These pages have no inline style, so style-src is 'self' alone.
 */
export function siteSecurityHeaders(config: Pick<Config, 'secureCookies'>): Record<string, string> {
  return staticSecurityHeaders(config);
}
