import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CLOSING_STATUSES,
  type ReportDetail,
  type ReportStatus,
  type ReportSubStatus,
  triageApi,
} from '../../api-disclosure-triage';
import { Section } from '../../components/Section';
import { notifySuccess } from '../../lib/errors';
import { ReportTransitionForm } from './ReportTransitionForm';

/** What the team is about to do: move to another status, or set / clear a sub-state of the current one. */
export type PendingChange = { to: ReportStatus; subStatus: ReportSubStatus | null };

/**
 * The state actions the server allows from here (it sends them with the report, from its one transition
 * table): forward steps first, then the closing decisions; and the sub-states the current status takes.
 */
export function ReportStateActions({ report, onChanged }: { report: ReportDetail; onChanged: () => void }) {
  const { t } = useTranslation('vdpTriage');
  const [pending, setPending] = useState<PendingChange | null>(null);
  const forward = report.allowedTransitions.filter((status) => !CLOSING_STATUSES.includes(status));
  const closing = report.allowedTransitions.filter((status) => CLOSING_STATUSES.includes(status));
  const subStatuses = report.allowedSubStatuses.filter((sub) => sub !== report.subStatus);
  const nothing = forward.length + closing.length + subStatuses.length === 0 && !report.subStatus;

  // Out of a closing decision, "triaged" means the report is looked at again; out of resolved, "fixing"
  // means the fix did not hold.
  const actionLabel = (to: ReportStatus) =>
    CLOSING_STATUSES.includes(report.status) && to === 'triaged'
      ? t('state.reopen')
      : report.status === 'resolved' && to === 'fixing'
        ? t('state.backToFixing')
        : t(`state.action.${to}`);

  const done = (change: PendingChange) => {
    setPending(null);
    notifySuccess(
      change.to !== report.status
        ? t('state.moved', { number: report.number, status: t(`status.${change.to}`) })
        : change.subStatus
          ? t('state.subStatusSet', { subStatus: t(`subStatus.${change.subStatus}`) })
          : t('state.subStatusCleared'),
    );
    onChanged();
  };

  const title = pending
    ? pending.to !== report.status
      ? t('state.moveTitle', { number: report.number, status: t(`status.${pending.to}`) })
      : pending.subStatus
        ? t(`state.subStatusAction.${pending.subStatus}`)
        : t('state.clearSubStatus', { subStatus: t(`subStatus.${report.subStatus ?? 'needs_more_info'}`) })
    : '';

  return (
    <Section title={t('state.title')}>
      <Modal opened={pending !== null} onClose={() => setPending(null)} title={title} size="lg">
        {pending ? (
          <ReportTransitionForm
            report={report}
            change={pending}
            submitLabel={title}
            onSubmit={async (input) => {
              await triageApi.transition(report.id, input);
              done(pending);
            }}
          />
        ) : null}
      </Modal>
      <Stack gap="sm">
        {nothing ? (
          <Text size="sm" c="dimmed">
            {t('state.final')}
          </Text>
        ) : null}
        {forward.length > 0 ? (
          <Group gap="xs">
            {forward.map((status) => (
              <Button key={status} size="xs" onClick={() => setPending({ to: status, subStatus: null })}>
                {actionLabel(status)}
              </Button>
            ))}
          </Group>
        ) : null}
        {subStatuses.length > 0 || report.subStatus ? (
          <Group gap="xs">
            {subStatuses.map((sub) => (
              <Button
                key={sub}
                size="xs"
                variant="light"
                color="yellow"
                onClick={() => setPending({ to: report.status, subStatus: sub })}
              >
                {t(`state.subStatusAction.${sub}`)}
              </Button>
            ))}
            {report.subStatus ? (
              <Button
                size="xs"
                variant="light"
                onClick={() => setPending({ to: report.status, subStatus: null })}
              >
                {t('state.clearSubStatus', { subStatus: t(`subStatus.${report.subStatus}`) })}
              </Button>
            ) : null}
          </Group>
        ) : null}
        {closing.length > 0 ? (
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('state.closeAs')}
            </Text>
            {closing.map((status) => (
              <Button
                key={status}
                size="xs"
                variant="default"
                onClick={() => setPending({ to: status, subStatus: null })}
              >
                {t(`status.${status}`)}
              </Button>
            ))}
          </Group>
        ) : null}
      </Stack>
    </Section>
  );
}
