import { type Dispatch, type SetStateAction, useCallback, useEffect, useState } from 'react';

export interface Loaded<T> {
  data: T;
  setData: Dispatch<SetStateAction<T>>;
  /** True while a load is under way (the first one starts on mount). */
  loading: boolean;
  error: unknown;
  reload: () => void;
}

/**
 * Loads something once on mount and again on `reload()`, for endpoints that answer in one piece (no cursor).
 * `fetch` must be stable (module-level or useCallback); `initial` is what `data` holds until the first answer.
 * A failed load keeps the previous data and sets `error`.
 */
export function useLoad<T>(fetch: () => Promise<T>, initial: T): Loaded<T> {
  const [data, setData] = useState<T>(initial);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(() => {
    setLoading(true);
    setError(null);
    fetch()
      .then((value) => setData(() => value))
      .catch((err: unknown) => setError(err))
      .finally(() => setLoading(false));
  }, [fetch]);

  useEffect(reload, [reload]);

  return { data, setData, loading, error, reload };
}
