import { z } from 'zod';
import type { Queryable } from '../core/db/index.ts';
import { trustEvents } from './tables.ts';

/** What happened to a visitor or a document, for the analytics (the audit log keeps its own record). */
export const TrustEventType = z.enum([
  'requested',
  'confirmed',
  'approved',
  'denied',
  'granted',
  'revoked',
  'viewed',
  'downloaded',
  'nda-accepted',
]);
export type TrustEventType = z.infer<typeof TrustEventType>;

export type TrustEvent = {
  type: TrustEventType;
  visitorId?: string;
  company?: string;
  documentId?: string;
  /** For downloads: the id printed in the watermark. */
  downloadId?: string;
  locale?: string;
  ip?: string;
  userAgent?: string | null;
};

/**
 * Records one analytics event. Pass the transaction that makes the change it describes (a grant, a
 * download record) so the event commits with it. User agents are cut to 500 characters, companies to 200.
 */
export async function recordTrustEvent(q: Queryable, event: TrustEvent): Promise<void> {
  await q.insert(trustEvents).values({
    type: TrustEventType.parse(event.type),
    visitorId: event.visitorId ?? null,
    company: event.company?.slice(0, 200) ?? null,
    documentId: event.documentId ?? null,
    downloadId: event.downloadId ?? null,
    locale: event.locale ?? null,
    ip: event.ip?.slice(0, 100) ?? null,
    userAgent: event.userAgent ? event.userAgent.slice(0, 500) : null,
  });
}
