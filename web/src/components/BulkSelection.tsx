import { Button, Checkbox, Group, Paper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A bulk endpoint's answer: one result per id, refusals with the problem the single action would give. */
export type BulkResults = {
  results: { id: string; ok: boolean; problem?: { title: string; detail: string } }[];
  updated: number;
  refused: number;
};

/** Which rows of the current page are ticked; ids no longer on the page drop out. */
export function useSelection(pageIds: string[]) {
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const selected = useMemo(() => pageIds.filter((id) => picked.has(id)), [pageIds, picked]);
  const toggle = useCallback(
    (id: string) =>
      setPicked((before) => {
        const next = new Set(before);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const all = pageIds.length > 0 && selected.length === pageIds.length;
  const toggleAll = () => setPicked(all ? new Set() : new Set(pageIds));
  const clear = () => setPicked(new Set());
  return {
    selected,
    isSelected: (id: string) => picked.has(id),
    toggle,
    all,
    some: selected.length > 0,
    toggleAll,
    clear,
  };
}
export type Selection = ReturnType<typeof useSelection>;

/** The "select all on this page" checkbox, for the first header cell. */
export function SelectAllCheckbox({ selection }: { selection: Selection }) {
  const { t } = useTranslation();
  return (
    <Checkbox
      aria-label={t('bulk.selectPage')}
      checked={selection.all}
      indeterminate={selection.some && !selection.all}
      onChange={selection.toggleAll}
    />
  );
}

/** One row's checkbox, named after the row for screen readers. */
export function SelectRowCheckbox({
  selection,
  id,
  label,
}: {
  selection: Selection;
  id: string;
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <Checkbox
      aria-label={t('bulk.selectRow', { name: label })}
      checked={selection.isSelected(id)}
      onChange={() => selection.toggle(id)}
    />
  );
}

/** The bar of bulk actions, shown while rows are selected. */
export function BulkBar({ selection, children }: { selection: Selection; children: ReactNode }) {
  const { t } = useTranslation();
  if (!selection.some) return null;
  return (
    <Paper withBorder p="sm" role="region" aria-label={t('bulk.region')} data-testid="bulk-bar">
      <Group gap="sm" wrap="wrap">
        <Text size="sm" fw={600}>
          {t('bulk.selected', { count: selection.selected.length })}
        </Text>
        {children}
        <Button variant="subtle" size="xs" onClick={selection.clear}>
          {t('bulk.clear')}
        </Button>
      </Group>
    </Paper>
  );
}

/** "3 updated, 1 refused: #12 — reason" as one notification, yellow when something was refused. */
export function useNotifyBulk() {
  const { t } = useTranslation();
  return (outcome: BulkResults, labelOf: (id: string) => string) => {
    const refusals = outcome.results
      .filter((result) => !result.ok)
      .map((result) => `${labelOf(result.id)} — ${result.problem?.title ?? ''}`);
    const message =
      outcome.refused === 0
        ? t('bulk.summaryAllDone', { count: outcome.updated })
        : t('bulk.summaryRefused', {
            count: outcome.updated,
            refused: outcome.refused,
            reasons: refusals.join('; '),
          });
    notifications.show({
      color: outcome.refused === 0 ? 'green' : 'yellow',
      message,
      autoClose: outcome.refused ? false : 5000,
    });
  };
}
