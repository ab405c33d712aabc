import { type ParsedMail, simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { databaseSafe } from '../../../core/db/index.ts';
import { isLocale, type Locale } from '../../../core/i18n/index.ts';
import type { IncomingAttachment } from '../../reports/reports.service.ts';

/**
 * Reading a received e-mail: who sent it, what it answers, its text and files, its language, whether
 * it is an auto-reply, and (PGP/MIME or inline PGP) its decrypted content.
 */

/** Files kept per e-mail, and the size of each: larger ones are listed in a system message instead. */
export const MAX_EMAIL_ATTACHMENTS = 10;
export const MAX_EMAIL_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const MAX_TITLE = 300;
const MAX_BODY = 200_000;

export type InboundMessage = {
  /** The sender's Message-ID, in the form outgoing headers accept (`<local@domain>`), if it has one. */
  messageId: string | undefined;
  /** In-Reply-To then References, same form, nearest first. */
  references: string[];
  from: { name?: string; address?: string };
  subject: string;
  text: string;
  /** From Content-Language, else guessed from the text; undefined when neither says. */
  locale: Locale | undefined;
  attachments: IncomingAttachment[];
  skippedAttachments: string[];
  /** Why this is not a person writing (auto-reply, bounce), or undefined. */
  automatic: string | undefined;
  encryption: 'none' | 'pgp-mime' | 'inline-pgp';
  /** Set when the message was encrypted and could not be decrypted: the encrypted part is attached. */
  undecryptable: boolean;
};

const MESSAGE_ID = /<[^<>\s]{1,498}>/g;

/** The Message-IDs in header values, deduplicated, in order, at most 50. */
export function messageIdsIn(...values: (string | string[] | undefined)[]): string[] {
  const ids = values.flatMap((value) => [value ?? []].flat()).flatMap((v) => v.match(MESSAGE_ID) ?? []);
  return [...new Set(ids)].slice(0, 50);
}

function headerText(parsed: ParsedMail, name: string): string | undefined {
  const value = parsed.headers.get(name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in value) return String(value.value);
  return String(value);
}

/** RFC 3834 and the common non-standard markers: such mail is never a report and never answered. */
export function automaticReason(parsed: ParsedMail): string | undefined {
  const autoSubmitted = headerText(parsed, 'auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = headerText(parsed, 'precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'auto_reply', 'junk', 'list'].includes(precedence))
    return `Precedence: ${precedence}`;
  for (const name of ['x-autoreply', 'x-autorespond']) {
    if (parsed.headers.has(name)) return `${name} header`;
  }
  if (headerText(parsed, 'return-path')?.trim() === '<>') return 'bounce (empty Return-Path)';
  return undefined;
}

const STOP_WORDS: Record<Locale, string[]> = {
  en: ['the', 'and', 'is', 'this', 'that', 'with', 'you', 'your', 'have', 'are', 'of', 'it'],
  es: ['el', 'los', 'las', 'que', 'y', 'una', 'para', 'por', 'del', 'es', 'con', 'está', 'puede'],
  fr: ['le', 'les', 'des', 'et', 'est', 'une', 'pour', 'dans', 'vous', 'nous', 'avec', 'du', 'pas'],
};

/** A tiny guess for mail without Content-Language: the locale whose common words clearly dominate. */
export function guessLocale(text: string): Locale | undefined {
  const words =
    text
      .toLowerCase()
      .match(/\p{L}+/gu)
      ?.slice(0, 2000) ?? [];
  const scores = (Object.keys(STOP_WORDS) as Locale[])
    .map((locale) => ({ locale, score: words.filter((w) => STOP_WORDS[locale].includes(w)).length }))
    .sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  if (!best || best.score < 3 || best.score < (second?.score ?? 0) * 1.5) return undefined;
  return best.locale;
}

function declaredLocale(...parsed: ParsedMail[]): Locale | undefined {
  for (const mail of parsed) {
    const primary = headerText(mail, 'content-language')?.split(',')[0]?.trim().split('-')[0]?.toLowerCase();
    if (isLocale(primary)) return primary;
  }
  return undefined;
}

function safeFileName(name: string | undefined, index: number): string {
  const cleaned = [...(name ?? '')]
    .filter((char) => char.charCodeAt(0) >= 32 && char !== '/' && char !== '\\')
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned || `attachment-${index + 1}`;
}

function safeContentType(type: string): string {
  const lower = type.toLowerCase();
  return /^[a-z]+\/[a-z0-9.+-]+$/.test(lower) ? lower : 'application/octet-stream';
}

const isPgpMimeMarker = (a: ParsedMail['attachments'][number]) =>
  a.contentType === 'application/pgp-encrypted' && a.content.length < 200;

/** Keeps the files within the limits; lists the others by name. */
function pickAttachments(parts: ParsedMail['attachments'], extra: IncomingAttachment[] = []) {
  const attachments: IncomingAttachment[] = [];
  const skipped: string[] = [];
  const candidates = [
    ...parts.filter((part) => !isPgpMimeMarker(part)),
    ...extra.map((file) => ({
      filename: file.fileName,
      contentType: file.contentType,
      content: file.content,
    })),
  ];
  candidates.forEach((part, index) => {
    const fileName = safeFileName(part.filename, index);
    if (part.content.length > MAX_EMAIL_ATTACHMENT_BYTES || attachments.length >= MAX_EMAIL_ATTACHMENTS) {
      skipped.push(fileName);
      return;
    }
    attachments.push({ fileName, contentType: safeContentType(part.contentType), content: part.content });
  });
  return { attachments, skipped };
}

const PGP_BLOCK = /-----BEGIN PGP MESSAGE-----[\s\S]+?-----END PGP MESSAGE-----/g;
const HAS_PGP_BLOCK = /-----BEGIN PGP MESSAGE-----[\s\S]+?-----END PGP MESSAGE-----/;

async function decryptWith(keys: openpgp.PrivateKey[], armored: string): Promise<Buffer | undefined> {
  if (keys.length === 0) return undefined;
  try {
    const message = await openpgp.readMessage({ armoredMessage: armored });
    const { data } = await openpgp.decrypt({ message, decryptionKeys: keys, format: 'binary' });
    return Buffer.from(data as Uint8Array);
  } catch {
    return undefined;
  }
}

function isPgpMime(parsed: ParsedMail): boolean {
  const type = parsed.headers.get('content-type');
  if (!type || typeof type !== 'object' || !('params' in type)) return false;
  const protocol = type.params.protocol?.toLowerCase();
  return type.value === 'multipart/encrypted' && protocol === 'application/pgp-encrypted';
}

/**
 * Parses a raw message. `keys` are the program's active private keys: a PGP/MIME message is decrypted
 * and its inner MIME entity read (protected headers give the real subject); inline PGP blocks in the
 * text are replaced by their plaintext. What cannot be decrypted is attached as it came. Text fields
 * never hold NUL or unpaired surrogates (see core/db/text.ts); attachment bytes are kept as they came.
 */
export async function parseInboundMail(raw: Buffer, keys: openpgp.PrivateKey[]): Promise<InboundMessage> {
  const outer = await simpleParser(raw, { skipHtmlToText: false });
  let content = outer;
  let encryption: InboundMessage['encryption'] = 'none';
  let undecryptable = false;
  let extra: IncomingAttachment[] = [];
  let text = outer.text ?? '';

  if (isPgpMime(outer)) {
    encryption = 'pgp-mime';
    const payload = outer.attachments.find((a) => a.content.includes('-----BEGIN PGP MESSAGE-----'));
    const plain = payload ? await decryptWith(keys, payload.content.toString('utf8')) : undefined;
    if (plain) {
      content = await simpleParser(plain);
      text = content.text ?? '';
    } else {
      undecryptable = true;
      text = '';
      content = { ...outer, attachments: payload ? [{ ...payload, filename: 'encrypted.asc' }] : [] };
    }
  } else if (HAS_PGP_BLOCK.test(text)) {
    encryption = 'inline-pgp';
    const blocks = text.match(PGP_BLOCK) ?? [];
    for (const [index, block] of blocks.entries()) {
      const plain = await decryptWith(keys, block);
      if (plain) {
        text = text.replace(block, plain.toString('utf8'));
      } else {
        undecryptable = true;
        const fileName = `encrypted-${index + 1}.asc`;
        extra = [
          ...extra,
          { fileName, contentType: 'application/pgp-encrypted', content: Buffer.from(block) },
        ];
      }
    }
  }

  const address = outer.from?.value[0]?.address?.trim().toLowerCase();
  const name = outer.from?.value[0]?.name?.trim();
  const subject = (content !== outer && content.subject ? content.subject : (outer.subject ?? '')).trim();
  const { attachments, skipped } = pickAttachments(content.attachments, extra);
  // Everything read from the mail is the sender's text: none of it may carry what PostgreSQL refuses.
  return databaseSafe({
    messageId: messageIdsIn(outer.messageId)[0],
    references: messageIdsIn(outer.inReplyTo, outer.references),
    from: {
      ...(name ? { name: name.slice(0, 200) } : {}),
      ...(address && /^[^\s@]+@[^\s@]+$/.test(address) ? { address } : {}),
    },
    subject: subject.slice(0, MAX_TITLE),
    text: text.trim().slice(0, MAX_BODY),
    locale: declaredLocale(content, outer) ?? guessLocale(`${subject}\n${text}`),
    attachments,
    skippedAttachments: skipped,
    automatic: automaticReason(outer),
    encryption,
    undecryptable,
  });
}
