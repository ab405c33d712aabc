import { Alert, Button, EmptyState, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../lib/errors';
import { StatusLoader } from './FullPageLoader';

/** "Could not load": what went wrong, with a retry button when `onRetry` is given. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" title={t('errors.loadFailed')} role="alert">
      <Text size="sm">{errorMessage(error, t)}</Text>
      {onRetry ? (
        <Button mt="sm" size="xs" variant="light" color="red" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      ) : null}
    </Alert>
  );
}

/** Loading / error / empty states shared by every list. Renders nothing when the list has items. */
export function ListStatus({
  loading,
  error,
  empty,
  emptyTitle,
  emptyDescription,
  emptyAction,
  onRetry,
}: {
  loading: boolean;
  error: unknown;
  empty: boolean;
  emptyTitle: string;
  emptyDescription: string;
  emptyAction?: ReactNode;
  onRetry?: () => void;
}) {
  if (loading) return <StatusLoader py="xl" size="sm" />;
  if (error) return <LoadError error={error} onRetry={onRetry} />;
  if (!empty) return null;
  return (
    <EmptyState py="xl" title={emptyTitle} description={emptyDescription}>
      {emptyAction ? (
        <EmptyState.Actions>
          <Group>{emptyAction}</Group>
        </EmptyState.Actions>
      ) : null}
    </EmptyState>
  );
}

/** "Load more" button for cursor pagination, with a count of what is shown. */
export function LoadMore({
  count,
  hasMore,
  loading,
  onLoadMore,
}: {
  count: number;
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}) {
  const { t } = useTranslation();
  if (count === 0) return null;
  return (
    <Group justify="space-between" mt="md">
      <Text size="sm" c="dimmed" aria-live="polite">
        {t('common.showing', { count })}
      </Text>
      {hasMore ? (
        <Button variant="default" onClick={onLoadMore} loading={loading}>
          {t('common.loadMore')}
        </Button>
      ) : null}
    </Group>
  );
}
