import { Box, Group, Text } from '@mantine/core';

export interface Series {
  key: string;
  label: string;
  color: string;
  values: number[];
}

const W = 720;
const H = 220;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };

/**
 * A small line chart in plain SVG (no inline styles, so it passes the CSP): one line per series over `labels`
 * (the x axis). The SVG is an image with `summary` as its accessible name; the figures are in tables nearby.
 */
export function LineChart({
  labels,
  series,
  summary,
  formatLabel,
}: {
  labels: string[];
  series: Series[];
  summary: string;
  formatLabel: (label: string) => string;
}) {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (labels.length <= 1 ? innerW / 2 : (i / (labels.length - 1)) * innerW);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const ticks = [0, Math.round(max / 2), max].filter((v, i, all) => all.indexOf(v) === i);
  const first = labels[0];
  const last = labels[labels.length - 1];
  return (
    <Box component="figure" m={0}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={summary}>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#dee2e6" strokeWidth={1} />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize={11} fill="#868e96">
              {v}
            </text>
          </g>
        ))}
        {first ? (
          <text x={x(0)} y={H - 8} fontSize={11} fill="#868e96" textAnchor="start">
            {formatLabel(first)}
          </text>
        ) : null}
        {last && labels.length > 1 ? (
          <text x={x(labels.length - 1)} y={H - 8} fontSize={11} fill="#868e96" textAnchor="end">
            {formatLabel(last)}
          </text>
        ) : null}
        {series.map((s) => (
          <polyline
            key={s.key}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            strokeLinejoin="round"
            points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
          />
        ))}
      </svg>
      <Group gap="md" mt="xs" aria-hidden="true">
        {series.map((s) => (
          <Group key={s.key} gap={6}>
            <svg width="14" height="4" aria-hidden="true">
              <rect width="14" height="4" fill={s.color} />
            </svg>
            <Text size="xs">{s.label}</Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}
