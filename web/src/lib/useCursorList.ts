import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api';

export interface CursorList<T> {
  items: T[];
  /** True while the first page is loading. */
  loading: boolean;
  /** True while a further page is loading. */
  loadingMore: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /** Adds items newer than the ones shown (from the first page) on top, without a loader or losing pages. */
  refreshNewest: () => void;
  /** Replace one item in place (after an update) or drop it when the updater returns null. */
  update: (id: string, updater: (item: T) => T | null) => void;
}

/**
 * Cursor pagination for list endpoints returning {items, nextCursor}. `fetchPage` must be memoized
 * (useCallback): whenever it changes (new filters), the list restarts from the first page.
 */
export function useCursorList<T extends { id: string }>(
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
): CursorList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const requestId = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is a deliberate reload trigger.
  useEffect(() => {
    const id = ++requestId.current;
    setLoading(true);
    setError(null);
    fetchPage(null)
      .then((page) => {
        if (id !== requestId.current) return;
        setItems(page.items);
        setCursor(page.nextCursor);
      })
      .catch((err: unknown) => {
        if (id !== requestId.current) return;
        setItems([]);
        setCursor(null);
        setError(err);
      })
      .finally(() => {
        if (id === requestId.current) setLoading(false);
      });
  }, [fetchPage, generation]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    const id = requestId.current;
    setLoadingMore(true);
    fetchPage(cursor)
      .then((page) => {
        if (id !== requestId.current) return;
        setItems((prev) => {
          const seen = new Set(prev.map((item) => item.id));
          return [...prev, ...page.items.filter((item) => !seen.has(item.id))];
        });
        setCursor(page.nextCursor);
      })
      .catch((err: unknown) => {
        if (id === requestId.current) setError(err);
      })
      .finally(() => setLoadingMore(false));
  }, [cursor, fetchPage, loadingMore]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const refreshNewest = useCallback(() => {
    const id = requestId.current;
    fetchPage(null)
      .then((page) => {
        if (id !== requestId.current) return;
        setItems((prev) => {
          const seen = new Set(prev.map((item) => item.id));
          const fresh = page.items.filter((item) => !seen.has(item.id));
          return fresh.length > 0 ? [...fresh, ...prev] : prev;
        });
      })
      // A background look that fails changes nothing; the next one or Refresh tries again.
      .catch(() => undefined);
  }, [fetchPage]);

  const update = useCallback((id: string, updater: (item: T) => T | null) => {
    setItems((prev) =>
      prev.flatMap((item) => {
        if (item.id !== id) return [item];
        const next = updater(item);
        return next ? [next] : [];
      }),
    );
  }, []);

  return {
    items,
    loading,
    loadingMore,
    error,
    hasMore: cursor !== null,
    loadMore,
    reload,
    refreshNewest,
    update,
  };
}

/** Items created on this page (newest first) ahead of the fetched ones, each only once. */
export function withAdded<T extends { id: string }>(added: T[], items: T[]): T[] {
  const seen = new Set(items.map((item) => item.id));
  return [...added.filter((item) => !seen.has(item.id)), ...items];
}
