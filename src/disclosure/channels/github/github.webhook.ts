import { createHmac } from 'node:crypto';
import { recordAudit } from '../../../audit/index.ts';
import type { AppContext } from '../../../core/context.ts';
import { constantTimeEqual } from '../../../core/crypto/index.ts';
import type { Actor } from '../../../core/http/actor.ts';
import { problems } from '../../../core/http/problem.ts';
import { importGithubAdvisory } from './github.import.ts';
import { githubProblems } from './github.problems.ts';
import { RepositoryAdvisoryEvent, type WebhookAnswer } from './github.schemas.ts';
import type { ImportLogger } from './github.service.ts';
import { configuredRepository, githubImportSettings, noteWebhookDelivery } from './github.state.ts';

/**
 * GitHub's `repository_advisory` webhook: a private vulnerability report arrives as action `reported`
 * with the whole advisory, so it is imported at once, without a token. Deliveries are authenticated by
 * `X-Hub-Signature-256`, the HMAC-SHA256 of the raw body with the shared secret.
 */

export type WebhookDelivery = {
  body: Buffer;
  contentType: string | undefined;
  signature: string | undefined;
  event: string | undefined;
  deliveryId: string | undefined;
};

export type WebhookResult = { statusCode: 200 | 201 | 202; answer: WebhookAnswer };

export function githubSignature(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function signatureVerdict(secret: string, delivery: WebhookDelivery): 'valid' | 'missing' | 'mismatch' {
  if (!delivery.signature) return 'missing';
  return constantTimeEqual(delivery.signature.trim(), githubSignature(secret, delivery.body))
    ? 'valid'
    : 'mismatch';
}

/** The event as JSON: the body itself, or its `payload` field when the webhook posts a form. */
function payloadOf(delivery: WebhookDelivery): unknown {
  let text = delivery.body.toString('utf8');
  if (delivery.contentType?.startsWith('application/x-www-form-urlencoded')) {
    text = new URLSearchParams(text).get('payload') ?? '';
  }
  try {
    return JSON.parse(text);
  } catch {
    throw problems.malformedBody('The webhook body is not a JSON event.');
  }
}

const shortHeader = (value: string | undefined) => (value ? value.slice(0, 100) : null);

/**
 * Handles one delivery: 404 when the webhook is off, 401 (audited) for a bad signature, then answers
 * `ping`, imports `repository_advisory`/`reported` for a configured repository, and acknowledges
 * anything else with 202 so GitHub does not show it as failed.
 */
export async function receiveGithubWebhook(
  ctx: AppContext,
  actor: Actor,
  delivery: WebhookDelivery,
  log: ImportLogger,
): Promise<WebhookResult> {
  const settings = githubImportSettings(ctx.config);
  if (!settings.webhook || !settings.webhookSecret) throw githubProblems.webhookDisabled();
  const verdict = signatureVerdict(settings.webhookSecret, delivery);
  if (verdict !== 'valid') {
    await recordAudit(ctx.database.db, actor, {
      action: 'disclosure.github.webhook-rejected',
      details: {
        reason: verdict === 'missing' ? 'missing-signature' : 'wrong-signature',
        event: shortHeader(delivery.event),
        deliveryId: shortHeader(delivery.deliveryId),
      },
    });
    log.warn(
      { event: delivery.event, deliveryId: delivery.deliveryId, reason: verdict },
      'GitHub webhook refused',
    );
    throw githubProblems.signatureInvalid();
  }

  const payload = payloadOf(delivery);
  await noteWebhookDelivery(ctx.database.db, new Date());
  const ignored = (reason: string): WebhookResult => ({
    statusCode: 202,
    answer: { status: 'ignored', reason },
  });
  if (delivery.event === 'ping') return { statusCode: 200, answer: { status: 'pong' } };
  if (delivery.event !== 'repository_advisory') return ignored(`event ${delivery.event ?? 'without a name'}`);

  const event = RepositoryAdvisoryEvent.safeParse(payload);
  if (!event.success) {
    throw problems.validation(
      event.error.issues.map((issue) => ({
        in: 'body',
        pointer: `/${issue.path.join('/')}`,
        detail: issue.message,
      })),
    );
  }
  if (event.data.action !== 'reported') return ignored(`action ${event.data.action}`);
  const repository = configuredRepository(settings, event.data.repository.full_name);
  if (!repository) return ignored('repository not configured');

  const result = await importGithubAdvisory(ctx, repository, event.data.repository_advisory);
  if (result.outcome === 'invalid') {
    throw problems.validation([{ in: 'body', pointer: '/repository_advisory', detail: result.message }]);
  }
  if (result.outcome === 'already-imported') {
    return { statusCode: 200, answer: { status: 'already-imported', reportNumber: result.report.number } };
  }
  log.info(
    { repository, ghsaId: result.report.sourceRef, reportNumber: result.report.number },
    'imported a GitHub private vulnerability report (webhook)',
  );
  return { statusCode: 201, answer: { status: 'imported', reportNumber: result.report.number } };
}
