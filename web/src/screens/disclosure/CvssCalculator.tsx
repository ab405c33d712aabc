import { Badge, Group, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CVSS_BASE_METRICS,
  CVSS_VERSIONS,
  type CvssMetric,
  type CvssResult,
  type CvssVersion,
  isProblem,
  metricValue,
  parseVector,
  SEVERITY_COLOR,
  scoreVector,
  type VectorProblem,
  versionOf,
  withMetric,
} from './CvssMetrics';

/** Value names are shared by the metrics that offer the same choices (C, I, A, VC… all say High/Low/None). */
function valueGroup(metric: string): string {
  return ['C', 'I', 'A', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'].includes(metric) ? 'impact' : metric;
}

function MetricPicker({
  metric,
  vector,
  version,
  onChange,
}: {
  metric: CvssMetric;
  vector: string;
  version: CvssVersion;
  onChange: (vector: string) => void;
}) {
  const { t } = useTranslation('vdpTriage');
  const labelId = useId();
  const current = versionOf(vector) === version ? metricValue(vector, metric.key) : undefined;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={labelId}>
        {t(`cvss.metric.${metric.key}` as 'cvss.metric.AV')} ({metric.key})
      </Text>
      <SegmentedControl
        aria-labelledby={labelId}
        size="xs"
        fullWidth
        // An unset metric shows no choice selected; picking one writes it into the vector.
        value={current ?? ''}
        onChange={(value) => onChange(withMetric(vector, version, metric.key, value))}
        data={metric.values.map((value) => ({
          value,
          label: t(`cvss.value.${valueGroup(metric.key)}.${value}` as 'cvss.value.AV.N'),
        }))}
      />
    </Stack>
  );
}

function problemText(problem: VectorProblem, t: ReturnType<typeof useTranslation<'vdpTriage'>>['t']) {
  switch (problem.kind) {
    case 'prefix':
      return t('cvss.problem.prefix');
    case 'pair':
      return t('cvss.problem.pair', { part: problem.part });
    case 'twice':
      return t('cvss.problem.twice', { metric: problem.metric });
    case 'missing':
      return t('cvss.problem.missing', { metrics: problem.metrics.join(', ') });
  }
}

/** The live score of a vector: null while nothing can be scored (empty, incomplete) or the library loads. */
export function useCvssScore(vector: string): { result: CvssResult | null; problem: VectorProblem | null } {
  const [result, setResult] = useState<CvssResult | null>(null);
  const parsed = vector.trim() ? parseVector(vector) : null;
  const problem = parsed && isProblem(parsed) ? parsed : null;
  useEffect(() => {
    const parsedNow = vector.trim() ? parseVector(vector) : null;
    if (!parsedNow || isProblem(parsedNow)) {
      setResult(null);
      return;
    }
    let current = true;
    scoreVector(parsedNow, vector)
      .then((scored) => {
        if (current) setResult(scored);
      })
      .catch(() => {
        if (current) setResult({ error: 'load' });
      });
    return () => {
      current = false;
    };
  }, [vector]);
  return { result: problem ? null : result, problem };
}

/** A score and severity badge, e.g. "9.8 Critical". */
export function CvssScoreBadge({ score, severity }: { score: number; severity: string }) {
  const { t } = useTranslation('vdpTriage');
  const known = severity in SEVERITY_COLOR ? (severity as keyof typeof SEVERITY_COLOR) : 'none';
  return (
    <Badge color={SEVERITY_COLOR[known]} variant="light" size="lg">
      {score.toFixed(1)} {t(`severity.${known}`)}
    </Badge>
  );
}

/**
 * CVSS calculator: a vector typed or pasted (3.1 or 4.0), or built by picking each base metric; the score
 * and severity follow live. `onChange` gets the vector as written ('' clears it).
 */
export function CvssCalculator({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (vector: string) => void;
  error?: string;
}) {
  const { t } = useTranslation('vdpTriage');
  const [version, setVersion] = useState<CvssVersion>(versionOf(value) ?? '3.1');
  const { result, problem } = useCvssScore(value);
  const versionLabel = useId();

  useEffect(() => {
    const named = versionOf(value);
    if (named) setVersion(named);
  }, [value]);

  const switchVersion = (next: CvssVersion) => {
    setVersion(next);
    // A vector of the other version cannot be translated metric by metric: start the new one empty.
    if (versionOf(value) !== next) onChange('');
  };

  return (
    <Stack gap="sm">
      <Group align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={500} id={versionLabel}>
            {t('cvss.version')}
          </Text>
          <SegmentedControl
            aria-labelledby={versionLabel}
            value={version}
            onChange={(v) => switchVersion(v as CvssVersion)}
            data={CVSS_VERSIONS.map((v) => ({ value: v, label: `CVSS ${v}` }))}
          />
        </Stack>
        <TextInput
          label={t('cvss.vector')}
          description={t('cvss.vectorHint')}
          placeholder={`CVSS:${version}/AV:N/…`}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          error={error ?? (problem ? problemText(problem, t) : undefined)}
          spellCheck={false}
          autoComplete="off"
          miw={320}
          flex={1}
        />
      </Group>
      <Group gap="xs" aria-live="polite" mih={30}>
        <Text size="sm">{t('cvss.score')}</Text>
        {result && 'score' in result ? (
          <CvssScoreBadge score={result.score} severity={result.severity} />
        ) : (
          <Text size="sm" c="dimmed">
            {result && 'error' in result
              ? t('cvss.cannotScore')
              : value.trim()
                ? t('cvss.incomplete')
                : t('cvss.none')}
          </Text>
        )}
      </Group>
      {/* Sized by the room the calculator has (a side column or the full width), not by the window. */}
      <SimpleGrid type="container" cols={{ base: 1, '640px': 2 }} spacing="sm" verticalSpacing="xs">
        {CVSS_BASE_METRICS[version].map((metric) => (
          <MetricPicker
            key={metric.key}
            metric={metric}
            vector={value}
            version={version}
            onChange={onChange}
          />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
