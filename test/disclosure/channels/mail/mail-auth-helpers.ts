import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';

/**
 * DNS for sender authentication without the network: SPF, DKIM and DMARC records served from memory
 * (mailauth takes the resolver as an option; see setMailAuthResolver), and DKIM keys made per test run.
 */
export class FakeDns {
  private readonly records = new Map<string, string[]>();

  /** Publishes a TXT record (several calls, several records). */
  txt(name: string, value: string): this {
    const key = `TXT:${name.toLowerCase()}`;
    this.records.set(key, [...(this.records.get(key) ?? []), value]);
    return this;
  }

  /** The resolver mailauth calls: TXT records as one chunk each; anything else does not exist. */
  readonly resolve = async (name: string, type: string): Promise<string[][]> => {
    const values = this.records.get(`${type.toUpperCase()}:${name.toLowerCase().replace(/\.$/, '')}`);
    if (!values) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return values.map((value) => [value]);
  };
}

export type DkimKey = { domain: string; selector: string; privateKey: string };

/** A fresh RSA key for `domain`, its public half published at `<selector>._domainkey.<domain>`. */
export function publishDkimKey(dns: FakeDns, domain: string, selector = 'test'): DkimKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  dns.txt(`${selector}._domainkey.${domain}`, `v=DKIM1; k=rsa; p=${spki}`);
  return { domain, selector, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** Nodemailer's transport option that DKIM-signs what it sends with `key`. */
export function dkimOption(key: DkimKey) {
  return { dkim: { domainName: key.domain, keySelector: key.selector, privateKey: key.privateKey } };
}

/** A raw message (CRLF line ends) with a DKIM-Signature by `key` on top. */
export async function signRaw(raw: string, key: DkimKey): Promise<string> {
  const message = raw.replace(/\r?\n/g, '\r\n');
  // mailauth's README: the keys go in `signatureData` (its bundled types say otherwise).
  const options = {
    signatureData: [{ signingDomain: key.domain, selector: key.selector, privateKey: key.privateKey }],
  } as unknown as Parameters<typeof dkimSign>[1];
  const { signatures, errors } = await dkimSign(message, options);
  if (!signatures) throw new Error('DKIM signing made no signature');
  if (errors.length > 0) throw new Error(`DKIM signing failed: ${String(errors[0]?.err)}`);
  return signatures + message;
}
