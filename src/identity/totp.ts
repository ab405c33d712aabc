import { authenticator } from 'otplib';
import QRCode from 'qrcode';

/** RFC 6238 defaults (SHA-1, 6 digits, 30 s) that every authenticator app understands; ±1 step of drift. */
authenticator.options = { window: 1, step: 30, digits: 6 };

export function generateTotpSecret(): string {
  return authenticator.generateSecret(20);
}

export async function describeTotpEnrolment(secret: string, account: string, issuer: string) {
  const otpauthUrl = authenticator.keyuri(account, issuer, secret);
  return { secret, otpauthUrl, qrDataUrl: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 220 }) };
}

/**
 * Verifies a 6-digit code. Returns the time step it matched so the caller can refuse a replay of
 * the same or an earlier step (`lastStep`), or undefined when the code is wrong or replayed.
 */
export function verifyTotp(
  secret: string,
  code: string,
  lastStep: number | null,
  now = Date.now(),
): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = authenticator.checkDelta(code, secret);
  if (delta === null) return undefined;
  const step = Math.floor(now / 30_000) + delta;
  if (lastStep !== null && step <= lastStep) return undefined;
  return step;
}

/** The current code for a secret (tests and the CLI's self-check use it). */
export function currentTotp(secret: string): string {
  return authenticator.generate(secret);
}
