import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  REPORT_SEVERITIES,
  type ReportSeverity,
  type ReportSla,
  type ReportStatus,
  type ReportSubStatus,
} from '../../api-disclosure-triage';
import { useFormat } from '../../lib/format';
import { SEVERITY_COLOR } from './CvssMetrics';
import { durationKey, slaStateOf } from './reportSla';

const STATUS_COLOR: Record<ReportStatus, string> = {
  new: 'blue',
  triaged: 'cyan',
  accepted: 'indigo',
  fixing: 'violet',
  resolved: 'green',
  disclosed: 'teal',
  duplicate: 'gray',
  out_of_scope: 'gray',
  informative: 'gray',
  not_applicable: 'gray',
  spam: 'dark',
  wont_fix: 'gray',
};

/** The report's state, and its sub-state (waiting on the researcher, retest) when it has one. */
export function ReportStatusBadge({
  status,
  subStatus,
}: {
  status: ReportStatus;
  subStatus?: ReportSubStatus | null;
}) {
  const { t } = useTranslation('vdpTriage');
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={STATUS_COLOR[status]} variant="light">
        {t(`status.${status}`)}
      </Badge>
      {subStatus ? (
        <Badge color="yellow" variant="outline">
          {t(`subStatus.${subStatus}`)}
        </Badge>
      ) : null}
    </Group>
  );
}

/** Severity as the team rated it (from the CVSS score), or a dash when not rated yet. */
export function ReportSeverityBadge({ severity }: { severity: string | null }) {
  const { t } = useTranslation('vdpTriage');
  const known = REPORT_SEVERITIES.includes(severity as ReportSeverity) ? (severity as ReportSeverity) : null;
  if (!known) {
    return (
      <Text size="sm" c="dimmed">
        {t('severity.unrated')}
      </Text>
    );
  }
  return (
    <Badge color={SEVERITY_COLOR[known]} variant="filled">
      {t(`severity.${known}`)}
    </Badge>
  );
}

/**
 * The first-response clock: "due in 1 d 4 h", "overdue by 3 h" (in red), "answered" (or "answered late").
 * The deadline itself is in the title, for a pointer hovering over it.
 */
export function ReportSlaCountdown({
  report,
  now,
}: {
  report: { sla: ReportSla; firstResponseAt: string | null };
  now: number;
}) {
  const { t } = useTranslation('vdpTriage');
  const fmt = useFormat();
  const state = slaStateOf(report.sla, now);
  const due = t('sla.dueAt', { date: fmt.dateTime(report.sla.responseDueAt) });
  switch (state.kind) {
    case 'answered':
      return (
        <Text
          size="sm"
          c={state.late ? 'orange.8' : 'green.8'}
          title={t('sla.answeredAt', { date: fmt.dateTime(report.firstResponseAt) })}
        >
          {state.late ? t('sla.answeredLate') : t('sla.answered')}
        </Text>
      );
    case 'closed':
      return (
        <Text size="sm" c="dimmed">
          {t('sla.closed')}
        </Text>
      );
    case 'due': {
      const { key, values } = durationKey(state.ms);
      return (
        <Text size="sm" c={state.soon ? 'orange.8' : undefined} fw={state.soon ? 600 : undefined} title={due}>
          {t('sla.dueIn', { duration: t(key, { ...values }) })}
        </Text>
      );
    }
    case 'overdue': {
      const { key, values } = durationKey(state.ms);
      return (
        <Text size="sm" c="red.8" fw={600} title={due}>
          {t('sla.overdueBy', { duration: t(key, { ...values }) })}
        </Text>
      );
    }
  }
}

/** The fix target (set from the severity at triage): its date, in red once passed on an open report. */
export function ReportFixDue({ sla }: { sla: ReportSla }) {
  const { t } = useTranslation('vdpTriage');
  const fmt = useFormat();
  if (!sla.fixDueAt) return null;
  return sla.fixOverdue ? (
    <Text size="sm" c="red.8" fw={600}>
      {t('sla.fixOverdue', { date: fmt.date(sla.fixDueAt) })}
    </Text>
  ) : (
    <Text size="sm" c="dimmed">
      {t('sla.fixDue', { date: fmt.date(sla.fixDueAt) })}
    </Text>
  );
}
