import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** The newest modification time under a folder (the admin app's sources). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * Browser tests drive the built admin app: `npm test` on a fresh clone builds it once (as `npm start`
 * does), and again when its sources are newer than the build, so no test ever runs against an old app.
 */
export default async function buildWebAppIfStale(): Promise<void> {
  const index = path.join(root, 'web/dist/index.html');
  const sources = Math.max(
    newest(path.join(root, 'web/src')),
    statSync(path.join(root, 'web/index.html')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn' });
}
