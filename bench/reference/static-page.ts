/**
 * The reference of bench:trust: a minimal Fastify server, in its own process, answering one path with
 * the exact bytes and headers Attest sent (identity, or gzip when asked). No logging, no hooks: what
 * Node and Fastify cost for this answer, against which Attest's own cost is a ratio.
 *
 * Usage: node --import tsx bench/reference/static-page.ts <spec.json>; prints its URL on stdout.
 * spec.json: { path, identity: { file, headers }, gzip?: { file, headers } }
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

type Variant = { file: string; headers: Record<string, string> };
type Spec = { path: string; identity: Variant; gzip?: Variant };

const specPath = process.argv[2];
if (!specPath) throw new Error('usage: static-page.ts <spec.json>');
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec;
const load = (variant: Variant) => ({ body: readFileSync(variant.file), headers: variant.headers });
const identity = load(spec.identity);
const gzip = spec.gzip ? load(spec.gzip) : undefined;

const app = Fastify({ logger: false });
app.get(spec.path, (request, reply) => {
  const accepts = request.headers['accept-encoding'];
  const answer = gzip && typeof accepts === 'string' && accepts.includes('gzip') ? gzip : identity;
  reply.headers(answer.headers);
  return reply.send(answer.body);
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(url);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void app.close());
