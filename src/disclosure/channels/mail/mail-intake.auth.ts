import type { DMARCResult, DNSResolver, SPFResult } from 'mailauth';
// The checks' own modules, not the package entry: that one also loads BIMI, whose HTTP client (undici 8)
// needs Node 22, and BIMI is of no use here.
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { dmarc } from 'mailauth/lib/dmarc/index.js';
import { spf } from 'mailauth/lib/spf/index.js';
import { readSmtpTrace } from './mail-intake.trace.ts';

/**
 * Who really sent a received e-mail: SPF, DKIM and DMARC checked with mailauth (see docs/decisions.md),
 * so a reply joins a report only when its From domain is authenticated (issue 7, item 15: a forged From
 * with the right In-Reply-To used to write into someone else's report). See docs/disclosure-mail.md.
 *
 * - SMTP (the built-in listener): SPF for the connecting address and MAIL FROM kept in the trace lines,
 *   DKIM, then DMARC over both.
 * - IMAP (a mailbox we poll): the connecting address is not known, and the provider's own
 *   Authentication-Results cannot be told apart from one the sender wrote, so only DKIM is verified
 *   here, and DMARC is evaluated over DKIM alone.
 *
 * The From domain is authenticated when DMARC passes; when the domain publishes no DMARC record, when a
 * passing DKIM signature aligns with it (relaxed, as DMARC would) or SPF passed for exactly that domain.
 * A DMARC `fail`, `temperror` or `permerror`, a message with no single From domain, or a failure of the
 * checks themselves leaves the sender unverified.
 */

export type SenderAuthentication = {
  verified: boolean;
  /** What authenticated the From domain, when verified. */
  method: 'dmarc' | 'dkim' | 'spf' | null;
  /** The From domain the results are about, when there is exactly one. */
  fromDomain: string | null;
  /** One line for the team, e.g. `dmarc=fail dkim=none spf=softfail`. */
  summary: string;
};

let resolver: DNSResolver | undefined;

/**
 * Replaces the DNS lookups of SPF, DKIM and DMARC records (default: the system resolver). Tests serve
 * their own records with it, so no check ever reaches the network; `undefined` restores the default.
 */
export function setMailAuthResolver(next: DNSResolver | undefined): void {
  resolver = next;
}

const unverified = (summary: string, fromDomain: string | null = null): SenderAuthentication => ({
  verified: false,
  method: null,
  fromDomain,
  summary,
});

/**
 * Checks a stored message. `source` is where it came from (`smtp`: the listener's trace lines on top give
 * the SMTP session; anything else: DKIM only). Never throws: a failed check means unverified.
 */
export async function authenticateSender(
  raw: Buffer,
  source: string,
  mta: string,
): Promise<SenderAuthentication> {
  try {
    return await checkSender(raw, source, mta);
  } catch (error) {
    // A message mailauth cannot read is not authenticated; it is still kept (as its own report).
    return unverified(`error: ${(error as Error).message.slice(0, 200)}`);
  }
}

async function checkSender(raw: Buffer, source: string, mta: string): Promise<SenderAuthentication> {
  const options = resolver ? { resolver } : {};
  const dkim = await dkimVerify(raw, options);
  const trace = source === 'smtp' ? readSmtpTrace(raw) : undefined;
  const spfResult: SPFResult | undefined = trace
    ? await spf({ ip: trace.ip, helo: trace.helo, sender: trace.mailFrom, mta, ...options })
    : undefined;
  const passing = (dkim.results ?? []).filter((result) => result.status?.result === 'pass');
  const spfDomain = spfResult?.status.result === 'pass' ? spfResult.domain.toLowerCase() : undefined;
  const dmarcResult: DMARCResult | false =
    dkim.headerFrom.length > 0
      ? await dmarc({
          headerFrom: dkim.headerFrom,
          fromFields: dkim.fromFields,
          spfDomains: spfDomain ? [spfDomain] : [],
          dkimDomains: passing.map((result) => ({
            ...(result.id ? { id: result.id } : {}),
            domain: result.signingDomain ?? '',
            aligned: result.status?.aligned ?? false,
            ...(result.status?.underSized ? { underSized: result.status.underSized } : {}),
          })),
          ...options,
        })
      : false;

  const summary = [
    `dmarc=${dmarcResult ? dmarcResult.status.result : 'none'}`,
    `dkim=${dkim.results?.length ? dkim.results.map((r) => r.status?.result ?? 'none').join(',') : 'none'}`,
    `spf=${spfResult ? spfResult.status.result : 'not checked'}`,
  ].join(' ');
  if (!dmarcResult) return unverified(`${summary} (no single From domain)`);
  const fromDomain = dmarcResult.status.header?.from?.toLowerCase() ?? null;
  if (!fromDomain) return unverified(summary);
  const result = dmarcResult.status.result;
  if (result === 'pass') return { verified: true, method: 'dmarc', fromDomain, summary };
  if (result !== 'none') return unverified(summary, fromDomain);
  // No DMARC record: the domain asks for nothing, so we apply DMARC's own test ourselves.
  if (passing.some((r) => r.status?.aligned)) return { verified: true, method: 'dkim', fromDomain, summary };
  if (spfDomain === fromDomain) return { verified: true, method: 'spf', fromDomain, summary };
  return unverified(summary, fromDomain);
}

/** Whether `address` (the From address the intake read) is in the authenticated domain. */
export function isFromAuthenticated(auth: SenderAuthentication, address: string | undefined): boolean {
  if (!auth.verified || !auth.fromDomain || !address) return false;
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase() === auth.fromDomain;
}
