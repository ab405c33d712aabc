import { Box, Button, Table } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

// Drawn for a half-width card: text stays legible once the SVG is scaled to its column.
const W = 480;
const H = 200;
const PAD = { left: 48, right: 12, top: 16, bottom: 28 };

/**
 * The top of the scale: the largest value rounded up to 1, 2 or 5 times a power of ten, so that the axis
 * reads well whether the figures are minutes (0.2 h) or months (900 h). Nothing to show → 1.
 */
export function niceTop(largest: number): number {
  if (!(largest > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(largest));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= largest) ?? 10;
  return step * power;
}

export interface BarDatum {
  /** The x-axis key (a month, "2026-03"). */
  label: string;
  /** Null when there is nothing to measure that month (no report answered, say): no bar, a dash in the table. */
  value: number | null;
}

/**
 * One figure per month as vertical bars, in plain SVG (no inline styles, so it passes the CSP). The SVG is
 * an image whose accessible name is `summary`; the exact figures are in a table under a toggle, the chart's
 * text alternative for screen readers and for anyone who wants the numbers.
 */
export function MetricsBarChart({
  data,
  summary,
  color,
  max,
  formatLabel,
  formatValue,
  valueHeader,
}: {
  data: BarDatum[];
  summary: string;
  color: string;
  /** Fixed top of the scale (100 for percentages); otherwise the largest value. */
  max?: number;
  formatLabel: (label: string) => string;
  formatValue: (value: number) => string;
  valueHeader: string;
}) {
  const { t } = useTranslation('vdpTriage');
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const values = data.map((d) => d.value ?? 0);
  const top = max ?? niceTop(Math.max(...values));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, data.length);
  const barW = Math.max(4, Math.min(48, slot * 0.6));
  const y = (v: number) => PAD.top + innerH - (Math.min(v, top) / top) * innerH;
  const ticks = [0, top / 2, top];
  // Label every month when few, otherwise every other one, so labels never overlap.
  const labelEvery = data.length > 6 ? Math.ceil(data.length / 6) : 1;
  return (
    <Box component="figure" m={0}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={summary}>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#dee2e6" strokeWidth={1} />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize={11} fill="#868e96">
              {formatValue(v)}
            </text>
          </g>
        ))}
        {data.map((d, i) => {
          const cx = PAD.left + slot * i + slot / 2;
          return (
            <g key={d.label}>
              {/* Zero draws nothing, like a month with nothing to measure; the table says which. */}
              {d.value !== null && d.value > 0 ? (
                <rect
                  x={cx - barW / 2}
                  // A value above zero always shows (2 units at least), however small next to the largest.
                  y={Math.min(y(d.value), PAD.top + innerH - 2)}
                  width={barW}
                  height={Math.max(2, PAD.top + innerH - y(d.value))}
                  fill={color}
                  rx={2}
                >
                  <title>{`${formatLabel(d.label)}: ${formatValue(d.value)}`}</title>
                </rect>
              ) : null}
              {i % labelEvery === 0 ? (
                <text x={cx} y={H - 8} fontSize={11} fill="#868e96" textAnchor="middle">
                  {formatLabel(d.label)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <Button
        variant="subtle"
        size="compact-sm"
        aria-expanded={showTable}
        aria-controls={tableId}
        onClick={() => setShowTable((shown) => !shown)}
      >
        {showTable ? t('metrics.hideFigures') : t('metrics.showFigures')}
      </Button>
      <Table id={tableId} hidden={!showTable} mt="xs" withTableBorder>
        <Table.Caption>{summary}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('metrics.month')}</Table.Th>
            <Table.Th>{valueHeader}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.map((d) => (
            <Table.Tr key={d.label}>
              <Table.Td>{formatLabel(d.label)}</Table.Td>
              <Table.Td>{d.value === null ? '—' : formatValue(d.value)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
