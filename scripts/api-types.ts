import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp } from '../src/app.ts';
import { closeContext, createContext } from '../src/core/bootstrap.ts';
import { loadConfig } from '../src/core/config/config.ts';
import { generateKey } from '../src/core/crypto/index.ts';

/** The generated client types, committed so the web app type-checks without a running server. */
export const API_TYPES_FILE = path.resolve(import.meta.dirname, '../web/src/generated/api.ts');

export const API_TYPES_COMMAND = 'npm run api:generate';

const HEADER = `/**
 * Generated from Attest's OpenAPI document (/api/openapi.json) by \`${API_TYPES_COMMAND}\`.
 * Do not edit: change the route's zod schemas on the server and run the command again.
 * A test (test/core/api-types.test.ts) fails when this file is stale.
 */

`;

/**
 * The OpenAPI document of the current server, built in-process on a throw-away in-memory database
 * (nothing listens). The version and public URL are fixed so the output depends on the routes only.
 */
export async function currentOpenApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'attest-openapi-'));
  const config = loadConfig(
    {
      ATTEST_DATA_DIR: dataDir,
      ATTEST_SECRET_KEY: generateKey(),
      ATTEST_PUBLIC_URL: 'http://localhost:3000',
      LOG_LEVEL: 'silent',
    },
    '0.0.0',
  );
  const ctx = await createContext(config, {
    workers: false,
    warn: () => undefined,
    dataDirForDatabase: 'memory://',
  });
  try {
    const app = await buildApp(ctx);
    await app.ready();
    const document = app.swagger() as unknown as Record<string, unknown>;
    await app.close();
    return document;
  } finally {
    await closeContext(ctx);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The TypeScript the current server's OpenAPI document turns into (openapi-typescript). */
export async function renderApiTypes(): Promise<string> {
  const document = await currentOpenApiDocument();
  // openapi-typescript mutates its input; give it a copy of plain JSON.
  const ast = await openapiTS(JSON.parse(JSON.stringify(document)), {
    alphabetize: true,
    exportType: true,
  });
  return HEADER + astToString(ast);
}
