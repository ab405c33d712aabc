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
 * Series often carry equal values (as many views as downloads): drawn alike, one would hide the
 * other. Each series gets its own width (widest first, so the narrower ones lie on top of it), its
 * own dash and its own marker shape and size (largest first), so equal series stay visible as nested
 * stripes and stacked shapes; the legend shows the same line and marker.
 */
const STYLES = [
  { width: 6, dash: undefined, marker: 'circle', size: 7 },
  { width: 4, dash: '10 5', marker: 'square', size: 5.5 },
  { width: 2.5, dash: '3 4', marker: 'triangle', size: 4.5 },
  { width: 1.5, dash: '14 4 3 4', marker: 'diamond', size: 3.5 },
  { width: 2, dash: '2 3', marker: 'circle', size: 3 },
] as const;
const styleOf = (index: number) => STYLES[index % STYLES.length] as (typeof STYLES)[number];
/** Markers stop helping when points are this close together. */
const MAX_MARKED_POINTS = 45;

function Marker({ cx, cy, index, color }: { cx: number; cy: number; index: number; color: string }) {
  const { marker, size: r } = styleOf(index);
  const common = { fill: color, stroke: '#fff', strokeWidth: 1 };
  if (marker === 'circle') return <circle cx={cx} cy={cy} r={r} {...common} />;
  if (marker === 'square') return <rect x={cx - r} y={cy - r} width={2 * r} height={2 * r} {...common} />;
  if (marker === 'triangle')
    return (
      <polygon
        points={`${cx},${cy - r * 1.2} ${cx + r},${cy + r * 0.8} ${cx - r},${cy + r * 0.8}`}
        {...common}
      />
    );
  return (
    <polygon
      points={`${cx},${cy - r * 1.3} ${cx + r},${cy} ${cx},${cy + r * 1.3} ${cx - r},${cy}`}
      {...common}
    />
  );
}

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
        {series.map((s, index) => (
          <polyline
            key={s.key}
            data-series={s.key}
            fill="none"
            stroke={s.color}
            strokeWidth={styleOf(index).width}
            strokeDasharray={styleOf(index).dash}
            strokeLinejoin="round"
            points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
          />
        ))}
        {labels.length <= MAX_MARKED_POINTS
          ? series.map((s, index) => (
              <g key={s.key} data-markers={s.key}>
                {s.values.map((v, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: one marker per day, in order.
                  <Marker key={i} cx={x(i)} cy={y(v)} index={index} color={s.color} />
                ))}
              </g>
            ))
          : null}
      </svg>
      <Group gap="md" mt="xs" aria-hidden="true" data-testid="chart-legend">
        {series.map((s, index) => (
          <Group key={s.key} gap={6}>
            <svg width="30" height="16" aria-hidden="true">
              <line
                x1="1"
                x2="29"
                y1="8"
                y2="8"
                stroke={s.color}
                strokeWidth={Math.min(styleOf(index).width, 4)}
                strokeDasharray={styleOf(index).dash}
              />
              <Marker cx={15} cy={8} index={index} color={s.color} />
            </svg>
            <Text size="xs">{s.label}</Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}
