import type { SMTPServerSession } from 'smtp-server';

/**
 * The trace lines the built-in listener puts on top of every message it accepts (RFC 5321 §4.4), and
 * reading them back: they carry what sender authentication needs from the SMTP session (the connecting
 * address, the HELO name, the MAIL FROM address) with the sealed message, so the processing job can
 * check SPF later. Only messages stored by the listener (source `smtp`) start with them: nothing a
 * sender writes can come before them.
 */

export type SmtpTrace = { ip: string; helo: string; mailFrom: string };

export function formatSmtpTrace(session: SMTPServerSession, serverName: string): string {
  const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const helo = (session.hostNameAppearsAs || 'unknown').replace(/[^\w.:[\]-]/g, '');
  const protocol = session.secure ? 'ESMTPS' : 'ESMTP';
  const when = new Date().toUTCString().replace('GMT', '+0000');
  return (
    `Return-Path: <${from.replace(/[<>\r\n]/g, '')}>\r\n` +
    `Received: from ${helo} ([${session.remoteAddress}]) by ${serverName} with ${protocol}; ${when}\r\n`
  );
}

const TRACE = /^Return-Path: <([^<>\r\n]*)>\r\nReceived: from (\S+) \(\[([0-9A-Fa-f:.]+)\]\) by /;

/** The session facts from the first two lines of a message stored by the listener, or undefined. */
export function readSmtpTrace(raw: Buffer): SmtpTrace | undefined {
  const match = TRACE.exec(raw.subarray(0, 2048).toString('latin1'));
  if (!match) return undefined;
  const [, mailFrom = '', helo = '', ip = ''] = match;
  // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d; SPF records name the IPv4 address.
  return { mailFrom, helo, ip: ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '') };
}
