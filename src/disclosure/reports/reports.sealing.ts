import { decrypt, decryptString, emailHash, encrypt, type Keyring } from '../../core/crypto/index.ts';

/**
 * Sealing of a report's confidential parts. The associated data names the row and the column, so a
 * sealed value copied onto another report (or into another column) fails to open.
 */

export type ReportContent = { title: string; description: string; steps: string; impact: string };
export type Reporter = { name?: string; email?: string; handle?: string; url?: string };

export const reportContentAad = (reportId: string) => `disclosure-report:${reportId}:content`;
export const reporterAad = (reportId: string) => `disclosure-report:${reportId}:reporter`;
export const messageAad = (messageId: string) => `disclosure-message:${messageId}:body`;
export const attachmentNameAad = (attachmentId: string) => `disclosure-attachment:${attachmentId}:name`;
export const attachmentContentAad = (attachmentId: string) => `disclosure-attachment:${attachmentId}:content`;
export const inboundMailAad = (inboundId: string) => `disclosure-inbound-mail:${inboundId}:raw`;

export function sealReportContent(keyring: Keyring, reportId: string, content: ReportContent): string {
  return encrypt(keyring, JSON.stringify(content), reportContentAad(reportId));
}

export function openReportContent(keyring: Keyring, reportId: string, sealed: string): ReportContent {
  return JSON.parse(decryptString(keyring, sealed, reportContentAad(reportId))) as ReportContent;
}

export function sealReporter(keyring: Keyring, reportId: string, reporter: Reporter): string {
  return encrypt(keyring, JSON.stringify(reporter), reporterAad(reportId));
}

/** The reporter's identity, or `{}` for an anonymous or erased report. */
export function openReporter(keyring: Keyring, reportId: string, sealed: string | null): Reporter {
  if (!sealed) return {};
  return JSON.parse(decryptString(keyring, sealed, reporterAad(reportId))) as Reporter;
}

export function sealMessageBody(keyring: Keyring, messageId: string, body: string): string {
  return encrypt(keyring, body, messageAad(messageId));
}

export function openMessageBody(keyring: Keyring, messageId: string, sealed: string): string {
  return decryptString(keyring, sealed, messageAad(messageId));
}

export function sealAttachment(
  keyring: Keyring,
  attachmentId: string,
  file: { fileName: string; content: Buffer },
): { fileNameSealed: string; contentSealed: string } {
  return {
    fileNameSealed: encrypt(keyring, file.fileName, attachmentNameAad(attachmentId)),
    contentSealed: encrypt(keyring, file.content, attachmentContentAad(attachmentId)),
  };
}

export function openAttachmentName(keyring: Keyring, attachmentId: string, sealed: string): string {
  return decryptString(keyring, sealed, attachmentNameAad(attachmentId));
}

export function openAttachmentContent(keyring: Keyring, attachmentId: string, sealed: string): Buffer {
  return decrypt(keyring, sealed, attachmentContentAad(attachmentId));
}

/**
 * How a reporter's address is looked up without storing it in clear: rate limits, magic links, threads.
 * Keyed (HMAC under the data key), so the database alone cannot confirm who reported.
 */
export function reporterEmailHash(keyring: Keyring, email: string): string {
  return emailHash(keyring, 'disclosure-reporter', email);
}
