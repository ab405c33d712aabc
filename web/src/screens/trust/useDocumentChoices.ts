import { useCallback, useMemo } from 'react';
import { type TrustDocument, trustApi } from '../../api-trust';
import { useLoad } from '../../lib/useLoad';
import { useLocalized } from './shared';

/** The (first 100) documents, for naming them in requests and grants and choosing them on approval. */
export function useDocumentChoices(): {
  nameOf: (id: string) => string;
  options: { value: string; label: string }[];
} {
  const text = useLocalized();
  const fetchDocs = useCallback(() => trustApi.documents({ limit: 100 }).then((p) => p.items), []);
  const docs = useLoad<TrustDocument[]>(fetchDocs, []);
  return useMemo(() => {
    const names = new Map(docs.data.map((d) => [d.id, text(d.title) || d.slug]));
    return {
      nameOf: (id: string) => names.get(id) ?? id.slice(0, 8),
      options: docs.data.map((d) => ({ value: d.id, label: text(d.title) || d.slug })),
    };
  }, [docs.data, text]);
}
