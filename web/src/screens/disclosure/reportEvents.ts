import type { TFunction } from 'i18next';
import { REPORT_STATUSES, REPORT_SUB_STATUSES, type ReportEvent } from '../../api-disclosure-triage';

/** The fields an `updated` event can name (PATCH /reports/{id}), each with its own label. */
const UPDATABLE = [
  'assigneeId',
  'cvssVector',
  'cvssScore',
  'severity',
  'cweId',
  'issueUrl',
  'asset',
  'category',
  'outOfScope',
] as const;
type Updatable = (typeof UPDATABLE)[number];
const CREDIT_PREFERENCES = ['name', 'handle', 'anonymous'] as const;

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

type Translate = TFunction<'vdpTriage'>;

function statusLabel(t: Translate, status: unknown): string {
  return isOneOf(REPORT_STATUSES, status) ? t(`status.${status}`) : String(status);
}

function statusChange(t: Translate, details: Record<string, unknown>, actor: string): string {
  const { from, to, subStatus, fromSubStatus, duplicateOf } = details;
  if (from !== to) {
    if (to === 'duplicate' && typeof duplicateOf === 'number') {
      return t('event.duplicateOf', { actor, number: duplicateOf });
    }
    return t('event.statusChanged', { actor, from: statusLabel(t, from), to: statusLabel(t, to) });
  }
  if (isOneOf(REPORT_SUB_STATUSES, subStatus)) {
    return t('event.subStatusSet', { actor, subStatus: t(`subStatus.${subStatus}`) });
  }
  if (isOneOf(REPORT_SUB_STATUSES, fromSubStatus)) {
    return t('event.subStatusCleared', { actor, subStatus: t(`subStatus.${fromSubStatus}`) });
  }
  return t('event.statusChanged', { actor, from: statusLabel(t, from), to: statusLabel(t, to) });
}

function updated(t: Translate, details: Record<string, unknown>, actor: string): string {
  const changed = Array.isArray(details.changed) ? details.changed : [];
  const fields = changed
    .filter((field): field is Updatable => isOneOf(UPDATABLE, field))
    // The score follows the vector: naming both would say the same thing twice.
    .filter((field) => field !== 'cvssScore' || !changed.includes('cvssVector'))
    .map((field) => t(`event.field.${field}`));
  // Saving the reporter's own vector unchanged confirms their proposal: say that, not "changed —".
  if (fields.length === 0 && changed.includes('severityProposed'))
    return t('event.severityConfirmed', { actor });
  return t('event.updated', { actor, fields: fields.join(', ') || '—' });
}

/** One line of the timeline for a report event, in the interface language. */
export function describeEvent(event: ReportEvent, t: Translate, actor: string): string {
  const details = event.details ?? {};
  switch (event.type) {
    case 'received':
      return t('event.received', {
        channel: t(`channel.${String(details.channel)}` as 'channel.web', {
          defaultValue: String(details.channel ?? ''),
        }),
        version: details.policyVersion ?? '?',
      });
    case 'status-changed':
      return statusChange(t, details, actor);
    case 'first-response':
      return details.withinSla === false
        ? t('event.firstResponseLate', { actor })
        : t('event.firstResponse', { actor });
    case 'updated':
      return updated(t, details, actor);
    case 'reporter-erased':
      return t('event.reporterErased', { actor });
    // The researcher's own choice on their follow page: theirs, whoever else is signed in.
    case 'credit-changed':
      return t('event.creditChanged', {
        preference: isOneOf(CREDIT_PREFERENCES, details.creditPreference)
          ? t(`reporter.creditPreference.${details.creditPreference}`)
          : String(details.creditPreference ?? ''),
      });
    // The researcher's reply on a closed report: theirs, and the report's status at the time.
    case 'reply-after-close':
      return t('event.replyAfterClose', { status: statusLabel(t, details.status) });
    case 'sla-notice':
      return details.kind === 'breached' ? t('event.slaBreached') : t('event.slaReminder');
    default:
      return t('event.other', { actor, type: event.type.replace(/[-_]/g, ' ') });
  }
}
