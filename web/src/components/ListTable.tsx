import { Button, Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CursorList } from '../lib/useCursorList';
import { SelectAllCheckbox, type Selection, SelectRowCheckbox } from './BulkSelection';
import { ListStatus, LoadMore } from './ListStatus';

/** Where a table's rows come from: a useLoad list, or a useCursorList one (which adds "Load more"). */
export type ListSource =
  | { loading: boolean; error: unknown; reload: () => void }
  | Pick<
      CursorList<unknown>,
      'loading' | 'error' | 'reload' | 'items' | 'hasMore' | 'loadingMore' | 'loadMore'
    >;

/**
 * A list as a table: the loading / error / empty states, the table itself once there are rows (one per item,
 * keyed by id, with a last, unlabelled column for row actions) and, for cursor lists, "Load more".
 * While a search or filter is on, `noMatch` replaces `empty`; its `onClear` adds a "Clear filters" button.
 */
export function ListTable<T extends { id: string }>({
  list,
  rows,
  empty,
  noMatch,
  headers,
  minWidth,
  caption,
  striped,
  highlightOnHover,
  cells,
  selection,
}: {
  list: ListSource;
  /** The items to show: the list's own, or those of it that match a search. */
  rows: T[];
  empty: { title: string; description: string };
  noMatch?: { title: string; description: string; onClear?: () => void } | false;
  /** Column headings, without the actions column. */
  headers: string[];
  minWidth: number;
  /** A caption for screen readers only. */
  caption?: string;
  striped?: boolean;
  highlightOnHover?: boolean;
  /** The row's cells, the actions cell last. */
  cells: (row: T) => ReactNode;
  /** Bulk actions: a first column of checkboxes, each named by `label`. */
  selection?: { state: Selection; label: (row: T) => string };
}) {
  const { t } = useTranslation();
  const blank = noMatch || empty;
  const clear = noMatch ? noMatch.onClear : undefined;
  return (
    <>
      <ListStatus
        loading={list.loading}
        error={list.error}
        empty={rows.length === 0}
        emptyTitle={blank.title}
        emptyDescription={blank.description}
        emptyAction={
          clear ? (
            <Button variant="default" onClick={clear}>
              {t('common.clearFilters')}
            </Button>
          ) : undefined
        }
        onRetry={list.reload}
      />
      {!list.loading && rows.length > 0 ? (
        <Table.ScrollContainer minWidth={minWidth}>
          <Table striped={striped} highlightOnHover={highlightOnHover}>
            {caption ? <Table.Caption className="visually-hidden">{caption}</Table.Caption> : null}
            <Table.Thead>
              <Table.Tr>
                {selection ? (
                  <Table.Th w={40}>
                    <SelectAllCheckbox selection={selection.state} />
                  </Table.Th>
                ) : null}
                {headers.map((header) => (
                  <Table.Th key={header}>{header}</Table.Th>
                ))}
                <Table.Th>
                  <span className="visually-hidden">{t('common.actions')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id}>
                  {selection ? (
                    <Table.Td>
                      <SelectRowCheckbox
                        selection={selection.state}
                        id={row.id}
                        label={selection.label(row)}
                      />
                    </Table.Td>
                  ) : null}
                  {cells(row)}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {'loadMore' in list ? (
        <LoadMore
          count={list.items.length}
          hasMore={list.hasMore}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      ) : null}
    </>
  );
}
