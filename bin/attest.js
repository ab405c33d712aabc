#!/usr/bin/env node
// Runs the compiled server (dist/), compiling src/ first when it changed since the last build, so a
// fresh clone needs no build step and an edited source is never run stale. Without esbuild it falls
// back to translating the TypeScript sources at start through tsx (slower, same behaviour).
import { pathToFileURL } from 'node:url';
import { compiledEntry } from './server-build.js';

const entry = await compiledEntry();
if (entry) {
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
