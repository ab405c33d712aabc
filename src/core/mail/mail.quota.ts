import { createHmac, hkdfSync } from 'node:crypto';
import { lt, sql } from 'drizzle-orm';
import type { Config } from '../config/config.ts';
import type { Keyring } from '../crypto/index.ts';
import type { Queryable } from '../db/index.ts';
import { mailQuotas } from './tables.ts';

/*
 * Caps on mail that anonymous requests can queue in one hour (MAIL_ANONYMOUS_PER_RECIPIENT_PER_HOUR,
 * MAIL_ANONYMOUS_PER_CLIENT_PER_HOUR). Per recipient: nobody's inbox is filled by strangers submitting
 * forms with their address (nor a triager's by a report flood). Per client address: one source can't
 * queue mail for many recipients. The windows are fixed clock hours, counted in the database so every
 * process shares them.
 */
const WINDOW_MS = 3_600_000;

type Allowance = { ok: true } | { ok: false; limit: 'recipient' | 'client'; dropped: number };

// Addresses and client IPs are personal data: the table holds a keyed hash of each.
function quotaKey(keyring: Keyring, kind: 'recipient' | 'client', value: string): string {
  const macKey = Buffer.from(hkdfSync('sha256', keyring.current.key, 'attest', 'core.mail.quota', 32));
  return `${kind}:${createHmac('sha256', macKey).update(value.trim().toLowerCase()).digest('base64url')}`;
}

async function countAttempt(q: Queryable, key: string, windowStart: Date): Promise<number> {
  const [row] = await q
    .insert(mailQuotas)
    .values({ key, windowStart, attempts: 1 })
    .onConflictDoUpdate({
      target: [mailQuotas.key, mailQuotas.windowStart],
      set: { attempts: sql`${mailQuotas.attempts} + 1` },
    })
    .returning({ attempts: mailQuotas.attempts });
  return row?.attempts ?? 1;
}

/**
 * Counts one mail an anonymous request wants to queue, in the caller's transaction (concurrent
 * requests for the same key wait on the row, so the cap holds under load), and says whether it
 * may be queued.
 */
export async function allowAnonymousMail(
  deps: {
    keyring: Keyring;
    config: Pick<Config, 'mailAnonymousPerRecipientPerHour' | 'mailAnonymousPerClientPerHour'>;
  },
  q: Queryable,
  mail: { to: string; clientIp: string },
  now: Date = new Date(),
): Promise<Allowance> {
  const windowStart = new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
  const recipient = await countAttempt(q, quotaKey(deps.keyring, 'recipient', mail.to), windowStart);
  const client = await countAttempt(q, quotaKey(deps.keyring, 'client', mail.clientIp), windowStart);
  // Past windows are useless; clearing them now and then keeps the table at one hour of keys.
  if (Math.random() < 0.02) {
    await q.delete(mailQuotas).where(lt(mailQuotas.windowStart, new Date(windowStart.getTime() - WINDOW_MS)));
  }
  const { mailAnonymousPerRecipientPerHour: perRecipient, mailAnonymousPerClientPerHour: perClient } =
    deps.config;
  if (recipient > perRecipient) return { ok: false, limit: 'recipient', dropped: recipient - perRecipient };
  if (client > perClient) return { ok: false, limit: 'client', dropped: client - perClient };
  return { ok: true };
}
