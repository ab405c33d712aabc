import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../../src/core/config/config.ts';
import {
  describeImapTarget,
  parseImapUrl,
} from '../../../../src/disclosure/channels/mail/mail-intake.imap.ts';

function errorFor(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('e-mail intake configuration', () => {
  it('is off by default, with a 25 MiB limit', () => {
    expect(loadConfig({}).disclosureMail).toEqual({
      address: undefined,
      maxBytes: 25 * 1024 * 1024,
      smtp: undefined,
      imap: undefined,
    });
  });

  it('reads the listener, its TLS files and the mailbox', () => {
    const config = loadConfig({
      DISCLOSURE_SMTP_PORT: '2525',
      DISCLOSURE_MAIL_ADDRESS: 'Security@Example.com',
      DISCLOSURE_SMTP_TLS_CERT: 'tls/cert.pem',
      DISCLOSURE_SMTP_TLS_KEY: 'tls/key.pem',
      DISCLOSURE_MAIL_MAX_MB: '10',
      DISCLOSURE_IMAP_URL: 'imaps://vdp:s3cret@imap.example.com/Security',
      DISCLOSURE_IMAP_POLL_SECONDS: '30',
    });
    expect(config.disclosureMail).toEqual({
      address: 'security@example.com',
      maxBytes: 10 * 1024 * 1024,
      smtp: {
        port: 2525,
        host: '127.0.0.1',
        tls: { certFile: path.resolve('tls/cert.pem'), keyFile: path.resolve('tls/key.pem') },
      },
      imap: { url: 'imaps://vdp:s3cret@imap.example.com/Security', pollSeconds: 30 },
    });
  });

  it('needs the address with the listener, and both TLS files or neither', () => {
    expect(errorFor({ DISCLOSURE_SMTP_PORT: '25' })).toContain('DISCLOSURE_MAIL_ADDRESS is required');
    expect(
      errorFor({
        DISCLOSURE_SMTP_PORT: '25',
        DISCLOSURE_MAIL_ADDRESS: 'security@example.com',
        DISCLOSURE_SMTP_TLS_CERT: 'cert.pem',
      }),
    ).toContain('must be set together');
  });

  it('masks the password of a bad mailbox URL', () => {
    const message = errorFor({ DISCLOSURE_IMAP_URL: 'pop3://vdp:s3cret@mail.example.com' });
    expect(message).toBe(
      'Invalid DISCLOSURE_IMAP_URL="pop3://vdp:***@mail.example.com": expected an imap:// or imaps://user:password@host URL',
    );
  });

  it('splits a mailbox URL into its parts, and shows it without the password', () => {
    const target = parseImapUrl('imap://team%40example.com:p%40ss%20word@[::1]/Bugs%20Reports');
    expect(target).toEqual({
      host: '::1',
      port: 143,
      secure: false,
      user: 'team@example.com',
      password: 'p@ss word',
      mailbox: 'Bugs Reports',
    });
    expect(describeImapTarget(target)).toBe('imap://team%40example.com:***@[::1]:143/Bugs Reports');
    expect(parseImapUrl('imaps://u:p@imap.example.com')).toMatchObject({
      port: 993,
      secure: true,
      mailbox: 'INBOX',
    });
  });
});
