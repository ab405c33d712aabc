import type { AppContext } from '../../core/context.ts';

/**
 * Pages other domains add to the sitemap (the disclosure program's published advisories). A source gives
 * its paths without locale prefix and a stamp that changes whenever they do: the stamp is part of the
 * sitemap's cache key, so a new page is listed at once.
 */
export type SitemapSource = () => Promise<{ stamp: string; paths: string[] }>;

const sources = new WeakMap<AppContext, SitemapSource[]>();

/** Adds a source of sitemap pages for this server; returns a function that removes it. */
export function addSitemapSource(ctx: AppContext, source: SitemapSource): () => void {
  const list = sources.get(ctx) ?? [];
  list.push(source);
  sources.set(ctx, list);
  return () => {
    const index = list.indexOf(source);
    if (index >= 0) list.splice(index, 1);
  };
}

/** Every source's pages, and one stamp for all of them. */
export async function extraSitemapPaths(ctx: AppContext): Promise<{ stamp: string; paths: string[] }> {
  const results = await Promise.all((sources.get(ctx) ?? []).map((source) => source()));
  return { stamp: results.map((r) => r.stamp).join('|'), paths: results.flatMap((r) => r.paths) };
}
