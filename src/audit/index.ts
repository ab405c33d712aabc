import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import { PageQuery, problemResponses, Timestamp } from '../core/http/fields.ts';
import { chainPendingAudit } from './audit.chainer.ts';
import {
  exportAuditCsv,
  listAuditEvents,
  MAX_AUDIT_EXPORT_ROWS,
  recordAudit,
  verifyAuditChain,
} from './audit.service.ts';
import { findDistinctActions } from './audit.store.ts';

export {
  type AuditChainer,
  chainPendingAudit,
  countPendingAudit,
  startAuditChainer,
} from './audit.chainer.ts';
export { type AuditEvent, recordAudit, type VerifyResult, verifyAuditChain } from './audit.service.ts';
export { canonicalJson } from './hash-chain.ts';
export { auditLog, auditPending } from './tables.ts';

const AuditEventView = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  occurredAt: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

const VerifyView = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  headHash: z.string().nullable(),
  firstBrokenSeq: z.number().int().nullable(),
  reason: z.string().nullable(),
  pending: z.number().int(),
});

const AuditQuery = PageQuery.extend({
  cursor: z.coerce.number().int().positive().optional(),
  action: z.string().trim().max(200).optional(),
  actor: z.string().trim().max(200).optional(),
  targetId: z.string().trim().max(200).optional(),
  from: Timestamp.optional(),
  to: Timestamp.optional(),
});

/** The audit log, read-only over HTTP, under /api/v1/audit. */
export function auditPlugin(ctx: AppContext): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/events',
      {
        config: { permission: 'audit.log.read' },
        schema: {
          operationId: 'listAuditEvents',
          tags: ['audit'],
          querystring: AuditQuery,
          response: {
            200: z.object({ items: z.array(AuditEventView), nextCursor: z.string().nullable() }),
            ...problemResponses,
          },
        },
      },
      (request) => {
        const { cursor, ...filter } = request.query;
        return listAuditEvents(ctx.database.db, { ...filter, beforeSeq: cursor });
      },
    );

    app.get(
      '/events.csv',
      {
        config: { permission: 'audit.log.read' },
        schema: {
          operationId: 'exportAuditEventsCsv',
          tags: ['audit'],
          description: `The log with the same filters as CSV (text/csv), newest first, at most ${MAX_AUDIT_EXPORT_ROWS} rows; spreadsheet-formula safe. Audited.`,
          querystring: AuditQuery.omit({ limit: true, cursor: true }),
          response: { 200: z.string().describe('text/csv'), ...problemResponses },
        },
      },
      async (request, reply) => {
        const csv = await ctx.database.db.transaction((tx) =>
          exportAuditCsv(tx, request.actor, request.query),
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`,
          )
          .send(csv);
      },
    );

    app.get(
      '/actions',
      {
        config: { permission: 'audit.log.read' },
        schema: {
          operationId: 'listAuditActions',
          tags: ['audit'],
          description: 'The actions present in the log, sorted: the choices of the action filter.',
          response: { 200: z.object({ actions: z.array(z.string()) }), ...problemResponses },
        },
      },
      async () => {
        await chainPendingAudit(ctx.database.db);
        return { actions: await findDistinctActions(ctx.database.db) };
      },
    );

    app.post(
      '/verify',
      {
        config: { permission: 'audit.log.read', rateLimit: { max: 6, timeWindow: 60_000 } },
        schema: {
          operationId: 'verifyAuditChain',
          tags: ['audit'],
          response: { 200: VerifyView, ...problemResponses },
        },
      },
      async (request) => {
        const result = await verifyAuditChain(ctx.database.db);
        await ctx.database.db.transaction((tx) =>
          recordAudit(tx, request.actor, {
            action: 'audit.chain.verified',
            details: { ok: result.ok, checked: result.checked },
          }),
        );
        return result;
      },
    );
  };
}
