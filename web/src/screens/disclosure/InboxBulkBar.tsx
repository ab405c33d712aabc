import { Button, Group, NativeSelect } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  REPORT_STATUSES,
  type ReportStatus,
  type ReportSummary,
  triageApi,
  type UserRef,
} from '../../api-disclosure-triage';
import { BulkBar, type BulkResults, type Selection, useNotifyBulk } from '../../components/BulkSelection';
import { useNotifyError } from '../../lib/errors';

// "new" is never a target and "duplicate" needs one original per report: both stay single actions.
const BULK_STATUSES = REPORT_STATUSES.filter((status) => status !== 'new' && status !== 'duplicate');
const UNASSIGNED = 'none';

/** Assign or move the selected reports at once; the server says per report what it refused. */
export function InboxBulkBar({
  selection,
  reports,
  team,
  onDone,
}: {
  selection: Selection;
  reports: ReportSummary[];
  team: UserRef[];
  onDone: () => void;
}) {
  const { t } = useTranslation('vdpTriage');
  const notifyBulk = useNotifyBulk();
  const notifyError = useNotifyError();
  const [status, setStatus] = useState<ReportStatus>('informative');
  const [assignee, setAssignee] = useState(UNASSIGNED);
  const [busy, setBusy] = useState(false);
  const numberOf = (id: string) => `#${reports.find((report) => report.id === id)?.number ?? '?'}`;

  const run = async (call: () => Promise<BulkResults>) => {
    setBusy(true);
    try {
      notifyBulk(await call(), numberOf);
      selection.clear();
      onDone();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <BulkBar selection={selection}>
      <Group gap="xs" align="end" wrap="wrap">
        <NativeSelect
          size="xs"
          label={t('inbox.bulk.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as ReportStatus)}
          data={BULK_STATUSES.map((value) => ({ value, label: t(`status.${value}`) }))}
        />
        <Button
          size="xs"
          loading={busy}
          onClick={() => run(() => triageApi.bulk(selection.selected, { type: 'transition', to: status }))}
        >
          {t('inbox.bulk.move')}
        </Button>
      </Group>
      <Group gap="xs" align="end" wrap="wrap">
        <NativeSelect
          size="xs"
          label={t('inbox.bulk.assignee')}
          value={assignee}
          onChange={(e) => setAssignee(e.currentTarget.value)}
          data={[
            { value: UNASSIGNED, label: t('inbox.unassigned') },
            ...team.map((user) => ({ value: user.id, label: user.name || user.email })),
          ]}
        />
        <Button
          size="xs"
          variant="default"
          loading={busy}
          onClick={() =>
            run(() =>
              triageApi.bulk(selection.selected, {
                type: 'assign',
                assigneeId: assignee === UNASSIGNED ? null : assignee,
              }),
            )
          }
        >
          {t('inbox.bulk.assign')}
        </Button>
      </Group>
    </BulkBar>
  );
}
