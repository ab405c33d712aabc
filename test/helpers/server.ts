import { createServer } from 'node:net';
import { buildTestApp, type TestApp } from './app.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A test app listening on a real port, with ATTEST_PUBLIC_URL pointing at it, job workers on. */
export async function startTestServer(
  env: Record<string, string> = {},
): Promise<TestApp & { baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await buildTestApp({
    env: { PORT: String(port), ATTEST_PUBLIC_URL: baseUrl, ...env },
    workers: true,
  });
  await t.app.listen({ port, host: '127.0.0.1' });
  return { ...t, baseUrl };
}
