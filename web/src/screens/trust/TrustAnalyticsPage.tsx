import { Anchor, Group, SimpleGrid, Stack, Table, TextInput } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AnalyticsDay, type AnalyticsSummary, type EventCounts, trustApi } from '../../api-trust';
import { LoadError } from '../../components/ListStatus';
import { ListTable } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { useFormat } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';
import { LineChart } from './LineChart';
import { useLocalized } from './shared';

const COUNTS = ['requested', 'granted', 'viewed', 'downloaded'] as const;
/** The chart's series: public page views beside the document events. */
const SERIES = [...COUNTS, 'pageViews'] as const;
const COLORS: Record<(typeof SERIES)[number], string> = {
  pageViews: '#495057',
  requested: '#f59f00',
  granted: '#37b24d',
  viewed: '#1c7ed6',
  downloaded: '#ae3ec9',
};

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
function defaultRange() {
  const to = new Date();
  const from = new Date(to.getTime() - 29 * 86_400_000);
  return { from: isoDay(from), to: isoDay(to) };
}

function CountCells({ row }: { row: EventCounts }) {
  const fmt = useFormat();
  return (
    <>
      {COUNTS.map((c) => (
        <Table.Td key={c}>{fmt.number(row[c])}</Table.Td>
      ))}
    </>
  );
}

export function TrustAnalyticsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const text = useLocalized();
  const [range, setRange] = useState(defaultRange);
  const valid = range.from !== '' && range.to !== '' && range.from <= range.to;
  const query = useMemo(() => (valid ? range : defaultRange()), [valid, range]);

  const fetchSummary = useCallback(() => trustApi.analyticsSummary(query), [query]);
  const fetchDays = useCallback(() => trustApi.analyticsTimeseries(query).then((r) => r.days), [query]);
  const summary = useLoad<AnalyticsSummary | null>(fetchSummary, null);
  const days = useLoad<AnalyticsDay[]>(fetchDays, []);
  const countHeaders = COUNTS.map((c) => t(`trust.analytics.${c}`));
  const totals = SERIES.map(
    (c) => `${t(`trust.analytics.${c}`)}: ${days.data.reduce((n, d) => n + d[c], 0)}`,
  );

  const byDocument = (summary.data?.byDocument ?? []).map((d) => ({ ...d, id: d.documentId }));
  const byPage = (summary.data?.byPage ?? []).map((p) => ({ ...p, id: p.path }));
  const byCompany = (summary.data?.byCompany ?? []).map((c) => ({ ...c, id: c.company }));
  const summaryList = { loading: summary.loading, error: summary.error, reload: summary.reload };

  return (
    <>
      <PageHeader
        title={t('trust.analytics.title')}
        description={t('trust.analytics.description')}
        actions={
          <Anchor href={trustApi.analyticsCsvUrl(query)} download>
            {t('trust.analytics.exportCsv')}
          </Anchor>
        }
      />
      <Stack gap="lg">
        <Group align="flex-end" role="search" aria-label={t('trust.analytics.rangeRegion')}>
          <TextInput
            type="date"
            label={t('trust.analytics.from')}
            value={range.from}
            max={range.to || undefined}
            onChange={(e) => setRange((r) => ({ ...r, from: e.currentTarget.value }))}
            error={valid ? undefined : t('trust.analytics.badRange')}
          />
          <TextInput
            type="date"
            label={t('trust.analytics.to')}
            value={range.to}
            min={range.from || undefined}
            onChange={(e) => setRange((r) => ({ ...r, to: e.currentTarget.value }))}
          />
        </Group>
        <Section title={t('trust.analytics.overTime')}>
          {days.error ? (
            <LoadError error={days.error} onRetry={days.reload} />
          ) : (
            <LineChart
              labels={days.data.map((d) => d.date)}
              series={SERIES.map((c) => ({
                key: c,
                label: t(`trust.analytics.${c}`),
                color: COLORS[c],
                values: days.data.map((d) => d[c]),
              }))}
              summary={t('trust.analytics.chartSummary', {
                from: fmt.date(query.from),
                to: fmt.date(query.to),
                totals: totals.join(', '),
              })}
              formatLabel={(d) => fmt.date(d)}
            />
          )}
        </Section>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Section title={t('trust.analytics.byDocument')}>
            <ListTable
              list={summaryList}
              rows={byDocument}
              empty={{
                title: t('trust.analytics.emptyTitle'),
                description: t('trust.analytics.emptyDescription'),
              }}
              headers={[t('trust.analytics.document'), t('trust.analytics.pageViews'), ...countHeaders]}
              minWidth={600}
              cells={(d) => (
                <>
                  <Table.Td>{text(d.title) || d.slug || d.documentId.slice(0, 8)}</Table.Td>
                  <Table.Td>{fmt.number(d.pageViews)}</Table.Td>
                  <CountCells row={d} />
                  <Table.Td />
                </>
              )}
            />
          </Section>
          <Section title={t('trust.analytics.byCompany')}>
            <ListTable
              list={summaryList}
              rows={byCompany}
              empty={{
                title: t('trust.analytics.emptyTitle'),
                description: t('trust.analytics.emptyDescription'),
              }}
              headers={[t('trust.analytics.company'), ...countHeaders]}
              minWidth={520}
              cells={(c) => (
                <>
                  <Table.Td>{c.company}</Table.Td>
                  <CountCells row={c} />
                  <Table.Td />
                </>
              )}
            />
          </Section>
          <Section title={t('trust.analytics.byPage')}>
            <ListTable
              list={summaryList}
              rows={byPage}
              empty={{
                title: t('trust.analytics.noViewsTitle'),
                description: t('trust.analytics.noViewsDescription'),
              }}
              headers={[t('trust.analytics.page'), t('trust.analytics.pageViews')]}
              minWidth={320}
              cells={(p) => (
                <>
                  <Table.Td>
                    <code>{p.path}</code>
                  </Table.Td>
                  <Table.Td>{fmt.number(p.views)}</Table.Td>
                  <Table.Td />
                </>
              )}
            />
          </Section>
        </SimpleGrid>
      </Stack>
    </>
  );
}
