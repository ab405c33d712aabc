// Compiles the server's TypeScript (src/) into JavaScript (dist/) once, so a start does not pay tsx
// translating ~300 files every time (5 s of a cold start). Plain JavaScript on purpose: it runs before
// anything can load TypeScript.
//
// dist/ mirrors src/ at the same depth (src/core/db/x.ts -> dist/core/db/x.js), so paths the code
// computes from import.meta.url ('../../../migrations', '../web/dist') still land in the repository;
// files that are not TypeScript (locales, CSS) are copied beside them for the same reason.
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const sourceDir = path.join(root, 'src');
export const outputDir = path.join(root, 'dist');
const stampName = '.source-fingerprint';
/** Bump when the compile options below change, so existing builds are redone. */
const BUILD_FORMAT = 2;

function listFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/**
 * What the build depends on: every file under src/ (name, size, modification time), plus this
 * script's format. Stat only, no reads: ~300 files cost a few milliseconds at each start.
 */
export function sourceFingerprint() {
  const hash = createHash('sha256').update(`format ${BUILD_FORMAT}\n`);
  for (const file of listFiles(sourceDir).sort()) {
    const stat = statSync(file);
    hash.update(`${path.relative(sourceDir, file)}\t${stat.size}\t${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** True when dist/ was compiled from the sources as they are now. */
export function isBuildCurrent(fingerprint = sourceFingerprint()) {
  try {
    return readFileSync(path.join(outputDir, stampName), 'utf8') === fingerprint;
  } catch {
    return false;
  }
}

/**
 * esbuild plugin: keep every import as an import (no bundling) and point relative `.ts` specifiers
 * at the compiled `.js` files. Bundling would move code away from the folder its import.meta.url
 * paths are relative to.
 */
const keepImports = {
  name: 'keep-imports',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      // JSON data is inlined: Node 20 would want an import attribute the sources don't write.
      if (args.kind === 'entry-point' || args.path.endsWith('.json')) return undefined;
      const rewritten = args.path.startsWith('.') ? args.path.replace(/\.ts$/, '.js') : args.path;
      return { path: rewritten, external: true };
    });
  },
};

/** Compiles src/ into dist/; a half-written build is never visible (built aside, then renamed). */
export async function buildServer({ fingerprint = sourceFingerprint() } = {}) {
  const { build } = await import('esbuild');
  const files = listFiles(sourceDir);
  const staging = `${outputDir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    await build({
      entryPoints: files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')),
      outbase: sourceDir,
      outdir: staging,
      bundle: true,
      plugins: [keepImports],
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'error',
    });
    for (const file of files.filter((file) => !file.endsWith('.ts'))) {
      const target = path.join(staging, path.relative(sourceDir, file));
      mkdirSync(path.dirname(target), { recursive: true });
      cpSync(file, target);
    }
    writeFileSync(path.join(staging, stampName), fingerprint);
    rmSync(outputDir, { recursive: true, force: true });
    renameSync(staging, outputDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another process started at the same moment may have renamed its identical build first.
    if (isBuildCurrent(fingerprint)) return;
    throw error;
  }
}

/** Build notes are for a person at a terminal; scripts reading stderr see only the command's own lines. */
function sayOnTerminal(message) {
  if (process.stderr.isTTY) process.stderr.write(`${message}\n`);
}

/**
 * The compiled CLI's path, compiling first when src/ changed since the last build. Returns undefined
 * when compiling is impossible (no esbuild installed): the caller then runs the sources through tsx.
 */
export async function compiledEntry({ log = sayOnTerminal } = {}) {
  const fingerprint = sourceFingerprint();
  const entry = path.join(outputDir, 'cli.js');
  if (isBuildCurrent(fingerprint) && existsSync(entry)) return entry;
  const started = Date.now();
  try {
    await buildServer({ fingerprint });
  } catch (error) {
    log(
      `Could not compile the server (${String(error?.message ?? error).split('\n')[0]}); running the TypeScript sources.`,
    );
    return undefined;
  }
  log(`Compiled the server into dist/ in ${Date.now() - started} ms.`);
  return entry;
}

// `node bin/server-build.js`: compile now; with --if-stale only when src/ changed since the last build.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!(process.argv.includes('--if-stale') && isBuildCurrent())) await buildServer();
}
