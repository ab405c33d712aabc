import type { AccessSettings } from './visitors.service.ts';

/** Whether `domain` is `listed` or one of its subdomains (`eu.acme.com` is under `acme.com`). */
export function isDomainUnder(domain: string, listed: string): boolean {
  return domain === listed || domain.endsWith(`.${listed}`);
}

/**
 * What the domain lists say about an address's domain. The deny list wins over the allow list, so a
 * subdomain can be denied under an allowed parent.
 */
export function domainDecision(
  domain: string,
  lists: Pick<AccessSettings, 'allowDomains' | 'denyDomains'>,
): 'deny' | 'allow' | 'review' {
  if (lists.denyDomains.some((listed) => isDomainUnder(domain, listed))) return 'deny';
  if (lists.allowDomains.some((listed) => isDomainUnder(domain, listed))) return 'allow';
  return 'review';
}
