import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/core/config/config.ts';

/** The ConfigError message loadConfig throws for this environment. */
function errorFor(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('runs with no environment at all, on documented defaults', () => {
    expect(loadConfig({}, '1.2.3')).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      databaseUrl: undefined,
      embeddedDatabase: 'pglite',
      publicUrl: 'http://localhost:3000',
      envPublicUrl: 'http://localhost:3000',
      secureCookies: false,
      secretKey: undefined,
      previousSecretKeys: [],
      defaultLocale: 'en',
      smtpUrl: undefined,
      mailFrom: 'Attest <attest@localhost>',
      logLevel: 'info',
      logFormat: 'auto',
      trustProxy: false,
      sessionIdleSeconds: 30 * 60,
      sessionAbsoluteSeconds: 12 * 3600,
      rateLimitPerMinute: 300,
      publicPageRateLimitPerMinute: 0,
      mailAnonymousPerRecipientPerHour: 20,
      mailAnonymousPerClientPerHour: 60,
      loginMaxFailures: 5,
      loginLockoutSeconds: 15 * 60,
      runJobs: true,
      githubApiUrl: 'https://api.github.com',
      githubToken: undefined,
      githubRepositories: [],
      githubPollMinutes: 15,
      githubWebhookSecret: undefined,
      disclosureMail: { address: undefined, maxBytes: 25 * 1024 * 1024, smtp: undefined, imap: undefined },
      version: '1.2.3',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('derives the public URL from PORT, drops trailing slashes, and sets Secure cookies only for https', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    const https = loadConfig({ ATTEST_PUBLIC_URL: 'https://trust.example.com//' });
    expect(https.publicUrl).toBe('https://trust.example.com');
    expect(https.secureCookies).toBe(true);
    expect(loadConfig({ ATTEST_PUBLIC_URL: 'http://intranet.example' }).secureCookies).toBe(false);
  });

  it('converts minutes and hours to seconds, and splits previous keys', () => {
    const config = loadConfig({
      SESSION_IDLE_MINUTES: '5',
      SESSION_ABSOLUTE_HOURS: '2',
      LOGIN_LOCKOUT_MINUTES: '1',
      ATTEST_PREVIOUS_SECRET_KEYS: ' a , b,, ',
      ATTEST_TRUST_PROXY: 'yes',
      ATTEST_JOBS: '0',
    });
    expect(config).toMatchObject({
      sessionIdleSeconds: 300,
      sessionAbsoluteSeconds: 7200,
      loginLockoutSeconds: 60,
      previousSecretKeys: ['a', 'b'],
      trustProxy: ['loopback'],
      runJobs: false,
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid PORT="abc": expected a number'],
    [{ PORT: '70000' }, 'Invalid PORT="70000": expected a number of at most 65535'],
    [{ PORT: '80.5' }, 'Invalid PORT="80.5": expected a whole number'],
    [{ SESSION_IDLE_MINUTES: '0' }, 'Invalid SESSION_IDLE_MINUTES="0": expected a number greater than 0'],
    [
      { LOG_LEVEL: 'loud' },
      'Invalid LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent',
    ],
    [{ ATTEST_DEFAULT_LOCALE: 'de' }, 'Invalid ATTEST_DEFAULT_LOCALE="de": expected one of en, es, fr'],
    [
      { ATTEST_PUBLIC_URL: 'ftp://files.example' },
      'Invalid ATTEST_PUBLIC_URL="ftp://files.example": expected an http:// or https:// URL',
    ],
    [
      { DATABASE_URL: 'mysql://db.example/attest' },
      'Invalid DATABASE_URL="mysql://db.example/attest": expected a postgres:// or postgresql:// URL',
    ],
    [
      { SMTP_URL: 'mail.example:25' },
      'Invalid SMTP_URL="mail.example:25": expected an smtp:// or smtps:// URL',
    ],
    [{ MAIL_FROM: 'a' }, 'Invalid MAIL_FROM="a": expected at least 3 characters'],
    [
      { ATTEST_TRUST_PROXY: 'maybe' },
      'Invalid ATTEST_TRUST_PROXY="maybe": expected false, or comma-separated addresses or CIDR ranges',
    ],
    [{ ATTEST_TRUST_PROXY: '10.0.0.1, example.com' }, 'Invalid ATTEST_TRUST_PROXY="10.0.0.1, example.com"'],
    [{ ATTEST_TRUST_PROXY: '2' }, 'Invalid ATTEST_TRUST_PROXY="2"'],
  ])('names the variable and what it expects: %j', (env, message) => {
    const text = errorFor(env);
    expect(text.split('\n')).toHaveLength(1);
    expect(text.startsWith(message)).toBe(true);
  });

  it('reads ATTEST_TRUST_PROXY as a list of proxies, never as "trust every hop"', () => {
    const read = (value: string) => loadConfig({ ATTEST_TRUST_PROXY: value }).trustProxy;
    expect(read('false')).toBe(false);
    expect(read('0')).toBe(false);
    // The old boolean: a proxy on the same host, the set-up the documentation has always described.
    expect(read('true')).toEqual(['loopback']);
    expect(read('yes')).toEqual(['loopback']);
    expect(read('1')).toEqual(['loopback']);
    expect(read(' 127.0.0.1, 10.0.0.0/8 ,fd00::/8, loopback ')).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      'fd00::/8',
      'loopback',
    ]);
    expect(read('::1')).toEqual(['::1']);
  });

  it('gives one line per bad variable, and none for the good ones', () => {
    const lines = errorFor({
      PORT: 'x',
      LOG_LEVEL: 'loud',
      HOST: '0.0.0.0',
      LOGIN_MAX_FAILURES: '1000',
    }).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => /^Invalid (\w+)=/.exec(line)?.[1]).sort()).toEqual([
      'LOGIN_MAX_FAILURES',
      'LOG_LEVEL',
      'PORT',
    ]);
  });

  it('keeps a value with a line break on its one line', () => {
    const text = errorFor({ PORT: '80\nInvalid HOST="forged"' });
    expect(text.split('\n')).toHaveLength(1);
  });

  it('masks the password of a URL it quotes', () => {
    const text = errorFor({ DATABASE_URL: 'mysql://attest:hunter2@db.example/attest' });
    expect(text).not.toContain('hunter2');
    expect(text).toContain('mysql://attest:***@db.example/attest');
  });
});
