import { Card, Group, NativeSelect, SimpleGrid, Stack, Text } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type MonthMetrics, type TriageMetrics, triageApi } from '../../api-disclosure-triage';
import { StatusLoader } from '../../components/FullPageLoader';
import { LoadError } from '../../components/ListStatus';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { useLoad } from '../../lib/useLoad';
import { MetricsBarChart, niceTop } from './MetricsBarChart';

/** The top of a duration scale, round in the unit its labels use: minutes, hours or days. */
function durationTop(values: (number | null)[]): number {
  const largest = Math.max(0, ...values.map((value) => value ?? 0));
  if (largest === 0) return 1;
  if (largest < 1) return Math.min(1, niceTop(largest * 60) / 60);
  if (largest < 48) return niceTop(largest);
  return niceTop(largest / 24) * 24;
}

import { ReportsNav } from './ReportsNav';

const STEPS = ['firstResponse', 'triage', 'resolution'] as const;
const STEP_COLOR: Record<(typeof STEPS)[number], string> = {
  firstResponse: '#1c7ed6',
  triage: '#7048e8',
  resolution: '#37b24d',
};

/**
 * Formatters for this page: months ("Mar 26"), durations ("12 min", "5 h", "3.5 d") and shares ("92 %").
 * A team that answers within minutes sees minutes, never "0 h".
 */
function useMetricFormat() {
  const { t, i18n } = useTranslation('vdpTriage');
  const lng = i18n.resolvedLanguage ?? 'en';
  return useMemo(() => {
    const month = new Intl.DateTimeFormat(lng, { month: 'short', year: '2-digit', timeZone: 'UTC' });
    const one = new Intl.NumberFormat(lng, { maximumFractionDigits: 1 });
    const whole = new Intl.NumberFormat(lng, { maximumFractionDigits: 0 });
    const percent = new Intl.NumberFormat(lng, { style: 'percent', maximumFractionDigits: 0 });
    return {
      month: (key: string) => month.format(new Date(`${key}-01T00:00:00Z`)),
      hours: (hours: number) =>
        hours === 0
          ? t('metrics.hours', { value: whole.format(0) })
          : hours < 1
            ? t('metrics.minutes', { value: whole.format(Math.max(1, hours * 60)) })
            : hours < 48
              ? t('metrics.hours', { value: one.format(hours) })
              : t('metrics.days', { value: one.format(hours / 24) }),
      percent: (share: number) => percent.format(share),
      count: (value: number) => one.format(value),
    };
  }, [lng, t]);
}

function StatCard({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Card>
  );
}

function Totals({ metrics }: { metrics: TriageMetrics }) {
  const { t } = useTranslation('vdpTriage');
  const fmt = useMetricFormat();
  const totals: MonthMetrics = metrics.totals;
  const open = Object.values(metrics.openByStatus).reduce((sum, n) => sum + n, 0);
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 3, xl: 6 }}>
      <StatCard label={t('metrics.received')} value={fmt.count(totals.received)} />
      {STEPS.map((step) => (
        <StatCard
          key={step}
          label={t(`metrics.step.${step}`)}
          value={totals[step].medianHours === null ? '—' : fmt.hours(totals[step].medianHours)}
          hint={t('metrics.medianOf', { count: totals[step].count })}
        />
      ))}
      <StatCard
        label={t('metrics.withinSla')}
        value={totals.sla.share === null ? '—' : fmt.percent(totals.sla.share)}
        hint={t('metrics.withinSlaOf', { within: totals.sla.withinSla, count: totals.sla.counted })}
      />
      <StatCard
        label={t('metrics.open')}
        value={fmt.count(open)}
        hint={t('metrics.waiting', {
          needsMoreInfo: metrics.waiting.needsMoreInfo,
          retest: metrics.waiting.retest,
        })}
      />
    </SimpleGrid>
  );
}

function Charts({ metrics }: { metrics: TriageMetrics }) {
  const { t } = useTranslation('vdpTriage');
  const fmt = useMetricFormat();
  const range = { from: fmt.month(metrics.from), to: fmt.month(metrics.to) };
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      {STEPS.map((step) => (
        <Section key={step} title={t(`metrics.chart.${step}`)}>
          <MetricsBarChart
            data={metrics.months.map((m) => ({ label: m.month, value: m[step].medianHours }))}
            max={durationTop(metrics.months.map((m) => m[step].medianHours))}
            summary={t(`metrics.summary.${step}`, range)}
            color={STEP_COLOR[step]}
            formatLabel={fmt.month}
            formatValue={fmt.hours}
            valueHeader={t('metrics.median')}
          />
        </Section>
      ))}
      <Section title={t('metrics.chart.sla')}>
        <MetricsBarChart
          data={metrics.months.map((m) => ({ label: m.month, value: m.sla.share }))}
          summary={t('metrics.summary.sla', range)}
          color="#f59f00"
          max={1}
          formatLabel={fmt.month}
          formatValue={fmt.percent}
          valueHeader={t('metrics.withinSla')}
        />
      </Section>
      <Section title={t('metrics.chart.received')}>
        <MetricsBarChart
          data={metrics.months.map((m) => ({ label: m.month, value: m.received }))}
          summary={t('metrics.summary.received', range)}
          color="#868e96"
          formatLabel={fmt.month}
          formatValue={fmt.count}
          valueHeader={t('metrics.received')}
        />
      </Section>
    </SimpleGrid>
  );
}

/**
 * How well the program keeps its promises, month by month (in the program's time zone): median time to first
 * response, to triage and to resolution, and the share of first responses within the SLA.
 */
/** The last MAX_METRIC_MONTHS months as YYYY-MM keys, newest first, with their names in the UI language. */
function useMonthOptions() {
  const { i18n } = useTranslation('vdpTriage');
  const lng = i18n.resolvedLanguage ?? 'en';
  return useMemo(() => {
    const name = new Intl.DateTimeFormat(lng, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    const now = new Date();
    return Array.from({ length: 60 }, (_, back) => {
      const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
      const key = date.toISOString().slice(0, 7);
      return { value: key, label: name.format(date) };
    });
  }, [lng]);
}

export function MetricsPage() {
  const { t } = useTranslation('vdpTriage');
  const months = useMonthOptions();
  const [range, setRange] = useState({ from: '', to: '' });
  const valid = !range.from || !range.to || range.from <= range.to;
  const query = useMemo(
    () => (valid ? { from: range.from || undefined, to: range.to || undefined } : {}),
    [valid, range],
  );
  const fetchMetrics = useCallback(() => triageApi.metrics(query), [query]);
  const loaded = useLoad<TriageMetrics | null>(fetchMetrics, null);
  const metrics = loaded.data;

  return (
    <>
      <PageHeader title={t('metrics.title')} description={t('metrics.description')} />
      <ReportsNav />
      <Stack gap="lg">
        <Group align="flex-end" role="search" aria-label={t('metrics.rangeRegion')}>
          <NativeSelect
            label={t('metrics.from')}
            value={range.from}
            onChange={(e) => setRange((r) => ({ ...r, from: e.currentTarget.value }))}
            error={valid ? undefined : t('metrics.badRange')}
            data={[{ value: '', label: t('metrics.defaultFrom') }, ...[...months].reverse()]}
          />
          <NativeSelect
            label={t('metrics.to')}
            value={range.to}
            onChange={(e) => setRange((r) => ({ ...r, to: e.currentTarget.value }))}
            data={[{ value: '', label: t('metrics.defaultTo') }, ...months]}
          />
          {metrics ? (
            <Text size="sm" c="dimmed" mb={8}>
              {t('metrics.timeZone', { timeZone: metrics.timeZone })}
            </Text>
          ) : null}
        </Group>
        {loaded.error ? <LoadError error={loaded.error} onRetry={loaded.reload} /> : null}
        {!metrics && loaded.loading ? <StatusLoader py="xl" /> : null}
        {metrics ? (
          <>
            <Totals metrics={metrics} />
            <Charts metrics={metrics} />
          </>
        ) : null}
      </Stack>
    </>
  );
}
