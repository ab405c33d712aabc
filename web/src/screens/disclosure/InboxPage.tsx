import { Anchor, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { programApi } from '../../api-disclosure-program';
import { type ReportSummary, triageApi } from '../../api-disclosure-triage';
import { useSelection } from '../../components/BulkSelection';
import { ListTable } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { currentLocale } from '../../i18n';
import { useFormat } from '../../lib/format';
import { useCursorList } from '../../lib/useCursorList';
import { InboxBulkBar } from './InboxBulkBar';
import {
  DEFAULT_VIEW,
  filtersOf,
  InboxFilterBar,
  type InboxView,
  isFiltered,
  paramsFromView,
  viewFromParams,
} from './InboxFilters';
import { ReportFixDue, ReportSeverityBadge, ReportSlaCountdown, ReportStatusBadge } from './ReportBadges';
import { ReportsNav } from './ReportsNav';
import { useNow } from './reportSla';
import { useTriageTeam } from './reportTeam';

const PAGE_SIZE = 25;

/**
 * Why the inbox is empty, which decides what it suggests: reports exist but are all closed (nothing to
 * do), or none came yet — with the program published (try the form) or not (publish it first).
 */
type EmptyReason = 'allClosed' | 'noneYet' | 'unpublished';

function useEmptyReason(active: boolean): EmptyReason | null {
  const [reason, setReason] = useState<EmptyReason | null>(null);
  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    (async () => {
      const closed = await triageApi.reports({ state: 'closed' }, 1, null).catch(() => null);
      if (closed && closed.items.length > 0) return 'allClosed' as const;
      // A role that may not read the program is told about the form only.
      const versions = await programApi.versions().catch(() => null);
      return versions && versions.items.length === 0 ? ('unpublished' as const) : ('noneYet' as const);
    })().then((found) => {
      if (!cancelled) setReason(found);
    });
    return () => {
      cancelled = true;
    };
  }, [active]);
  return active ? reason : null;
}

/** What to do next from an empty inbox, by reason. */
function EmptyInboxActions({ reason, onShowClosed }: { reason: EmptyReason; onShowClosed: () => void }) {
  const { t } = useTranslation('vdpTriage');
  return (
    <Group justify="center" mt="sm">
      {reason === 'allClosed' ? (
        <Button variant="default" onClick={onShowClosed}>
          {t('inbox.emptyShowClosed')}
        </Button>
      ) : null}
      {reason === 'unpublished' ? (
        <Button component={Link} to="/disclosure/program" variant="default">
          {t('inbox.emptyProgram')}
        </Button>
      ) : null}
      {reason !== 'allClosed' ? (
        <Button component="a" href={`/${currentLocale()}/security/report`} target="_blank" variant="subtle">
          {t('inbox.emptyForm')}
        </Button>
      ) : null}
    </Group>
  );
}

function ReportRow({ report, now }: { report: ReportSummary; now: number }) {
  const { t } = useTranslation('vdpTriage');
  const fmt = useFormat();
  return (
    <>
      <Table.Td>
        <Text size="sm" ff="monospace">
          #{report.number}
        </Text>
      </Table.Td>
      <Table.Td maw={360}>
        <Anchor component={Link} to={`/disclosure/reports/${report.id}`} size="sm" fw={500}>
          {report.title}
        </Anchor>
        {report.outOfScope ? (
          <Badge ml={6} size="xs" color="gray" variant="outline">
            {t('inbox.outOfScopeBadge')}
          </Badge>
        ) : null}
        {report.beforePolicy ? (
          <Badge ml={6} size="xs" color="yellow" variant="light" title={t('inbox.beforePolicyHelp')}>
            {t('inbox.beforePolicyBadge')}
          </Badge>
        ) : null}
        {report.senderVerified === false ? (
          <Badge ml={6} size="xs" color="orange" variant="light">
            {t('report.senderUnverified')}
          </Badge>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{report.asset ?? '—'}</Text>
      </Table.Td>
      <Table.Td>
        <ReportStatusBadge status={report.status} subStatus={report.subStatus} />
        {report.replyAfterCloseAt ? (
          <Badge ml={6} size="xs" color="orange" variant="filled">
            {t('report.replyAfterClose')}
          </Badge>
        ) : null}
      </Table.Td>
      <Table.Td>
        <ReportSeverityBadge severity={report.severity} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {report.assignee ? report.assignee.name || report.assignee.email : t('inbox.unassigned')}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{fmt.dateTime(report.receivedAt)}</Text>
      </Table.Td>
      <Table.Td>
        <ReportSlaCountdown report={report} now={now} />
        {report.sla.fixOverdue ? <ReportFixDue sla={report.sla} /> : null}
      </Table.Td>
      <Table.Td />
    </>
  );
}

/** The reports inbox: filters, search, SLA countdowns; newest first, a page at a time. */
export function InboxPage() {
  const { t } = useTranslation('vdpTriage');
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => viewFromParams(params), [params]);
  const [search] = useDebouncedValue(view.search, 300);
  const filters = useMemo(() => filtersOf(view, search), [view, search]);
  const filtersKey = JSON.stringify(filters);
  const now = useNow();

  // biome-ignore lint/correctness/useExhaustiveDependencies: `filtersKey` stands for `filters`' content.
  const fetchPage = useCallback(
    (cursor: string | null) => triageApi.reports(filters, PAGE_SIZE, cursor),
    [filtersKey],
  );
  const list = useCursorList(fetchPage);
  const team = useTriageTeam(list.items.map((report) => report.assignee));
  const selection = useSelection(useMemo(() => list.items.map((report) => report.id), [list.items]));

  const change = (next: Partial<InboxView>) =>
    setParams(paramsFromView({ ...view, ...next }), { replace: 'search' in next });
  const filtered = isFiltered(view);
  const empty = !list.loading && !list.error && list.items.length === 0 && !filtered;
  const emptyReason = useEmptyReason(empty);
  const emptyText = {
    allClosed: { title: t('inbox.emptyTitle'), description: t('inbox.emptyAllClosed') },
    noneYet: { title: t('inbox.emptyNoneTitle'), description: t('inbox.emptyNoneYet') },
    unpublished: { title: t('inbox.emptyNoneTitle'), description: t('inbox.emptyDescription') },
  }[emptyReason ?? 'noneYet'];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('inbox.description')}
        actions={
          <Button component="a" href={triageApi.reportsCsvUrl(filters)} download variant="default">
            {t('inbox.exportCsv')}
          </Button>
        }
      />
      <ReportsNav />
      <Stack gap="md">
        <InboxFilterBar view={view} onChange={change} team={team} />
        <InboxBulkBar selection={selection} reports={list.items} team={team} onDone={list.reload} />
        <ListTable
          list={list}
          rows={list.items}
          selection={{ state: selection, label: (report) => `#${report.number}` }}
          caption={t('inbox.caption')}
          empty={emptyText}
          noMatch={
            filtered && {
              title: t('inbox.noMatchTitle'),
              description: t('inbox.noMatchDescription'),
              onClear: () => change(DEFAULT_VIEW),
            }
          }
          headers={[
            t('inbox.number'),
            t('inbox.titleColumn'),
            t('inbox.asset'),
            t('inbox.status'),
            t('inbox.severity'),
            t('inbox.assignee'),
            t('inbox.received'),
            t('inbox.sla'),
          ]}
          minWidth={1080}
          highlightOnHover
          cells={(report) => <ReportRow report={report} now={now} />}
        />
        {empty && emptyReason ? (
          <EmptyInboxActions reason={emptyReason} onShowClosed={() => change({ state: 'closed' })} />
        ) : null}
      </Stack>
    </>
  );
}
