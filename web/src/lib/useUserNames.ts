import { useEffect, useState } from 'react';
import { api } from '../api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Display names for user ids (for "invited by" / "created by" columns, which may carry ids). Loads the first
 * page of users once; unknown ids fall back to a short form of the id.
 */
export function useUserNames(): (id: string | null | undefined) => string {
  const [names, setNames] = useState<Map<string, string>>(new Map());

  useEffect(() => {
    api
      .users({ limit: 100 })
      .then((page) => setNames(new Map(page.items.map((u) => [u.id, u.name || u.email]))))
      .catch(() => undefined);
  }, []);

  return (id) => {
    if (!id) return '—';
    const known = names.get(id);
    if (known) return known;
    return UUID.test(id) ? `${id.slice(0, 8)}…` : id;
  };
}
