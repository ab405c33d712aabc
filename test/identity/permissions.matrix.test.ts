import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleName } from '../../src/core/http/actor.ts';
import { systemActor } from '../../src/core/http/actor.ts';
import { createApiToken } from '../../src/identity/api-tokens.service.ts';
import { isPermission, permissions, roles } from '../../src/identity/permissions.ts';
import { loginAs, type Session, uniqueIp } from '../fixtures/identity.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

type Operation = {
  method: string;
  path: string;
  operationId: string;
  security?: unknown[];
  'x-attest-permission'?: string;
  'x-attest-pending-mfa'?: boolean;
  'x-attest-session-only'?: boolean;
};

type Answer = { status: number; code: string | undefined };

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

function operationsOf(doc: {
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
}): Operation[] {
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/'))
    .flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
    )
    .sort((a, b) => Number(a.operationId === 'logout') - Number(b.operationId === 'logout'));
}

const isPublic = (op: Operation) => Array.isArray(op.security) && op.security.length === 0;
const describeOp = (op: Operation) => `${op.method} ${op.path} (${op.operationId})`;

/** Who may call it, by permissions.ts: every role for a pending-MFA step without a permission. */
function grantedRoles(op: Operation): RoleName[] {
  const permission = op['x-attest-permission'];
  if (permission && isPermission(permission)) return [...permissions[permission]];
  if (op['x-attest-pending-mfa']) return [...roles];
  return [];
}

describe('permission matrix: every /api/v1 operation × anonymous and every role', () => {
  let t: TestApp;
  let operations: Operation[];
  const sessions = new Map<RoleName, Session>();
  const tokens = new Map<RoleName, string>();
  // Operation id → caller → answer, filled once in beforeAll; the tests below read it.
  const answers = new Map<string, Map<string, Answer>>();

  async function call(op: Operation, headers: Record<string, string>): Promise<Answer> {
    // A UUID for every path parameter: the guard answers before anything looks the row up.
    const url = op.path.replace(/\{[^}]+\}/g, () => randomUUID());
    const options: InjectOptions = {
      method: op.method as InjectOptions['method'],
      url,
      headers,
      remoteAddress: uniqueIp(),
    };
    if (op.method !== 'GET' && op.method !== 'DELETE') options.payload = {};
    const res = await t.app.inject(options);
    const body = String(res.headers['content-type']).includes('json') && res.body ? res.json() : undefined;
    return { status: res.statusCode, code: body?.code };
  }

  beforeAll(async () => {
    t = await buildTestApp();
    const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
    operations = operationsOf(doc.json());
    for (const role of roles) {
      sessions.set(role, await loginAs(t.app, t.ctx, role, { remoteAddress: uniqueIp() }));
      const created = await createApiToken(t.ctx, systemActor('permission matrix'), {
        name: `matrix ${role}`,
        role,
        expiresInDays: 1,
      });
      tokens.set(role, created.token);
    }
    for (const op of operations) {
      const row = new Map<string, Answer>();
      row.set('anonymous', await call(op, {}));
      for (const role of roles)
        row.set(`token:${role}`, await call(op, { authorization: `Bearer ${tokens.get(role)}` }));
      answers.set(op.operationId, row);
    }
    // Cookie sessions last, and logout last of all, so no call ends a session another call needs.
    for (const op of operations) {
      const row = answers.get(op.operationId) as Map<string, Answer>;
      for (const role of roles)
        row.set(`session:${role}`, await call(op, (sessions.get(role) as Session).headers));
    }
  }, 300_000);
  afterAll(() => t?.close());

  const allowedBy = (op: Operation, kind: 'session' | 'token') =>
    roles.filter((role) => answers.get(op.operationId)?.get(`${kind}:${role}`)?.status !== 403);

  it('finds the identity, audit, settings and mail operations in the OpenAPI document', () => {
    const ids = operations.map((op) => op.operationId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'login',
        'listUsers',
        'listAuditEvents',
        'getSettings',
        'listOutbox',
        'logout',
      ]),
    );
  });

  it('has every operation public, permission-bound or a pending-MFA step (fail closed)', () => {
    const undeclared = operations.filter(
      (op) => !isPublic(op) && !op['x-attest-permission'] && !op['x-attest-pending-mfa'],
    );
    expect(undeclared.map(describeOp)).toEqual([]);
    const unknown = operations.filter(
      (op) => op['x-attest-permission'] && !isPermission(op['x-attest-permission']),
    );
    expect(unknown.map(describeOp)).toEqual([]);
  });

  it('never answers 401 on a public operation, to anyone', () => {
    const refused = operations
      .filter(isPublic)
      .flatMap((op) =>
        [...(answers.get(op.operationId) ?? [])]
          .filter(([, a]) => a.status === 401)
          .map(([who]) => `${describeOp(op)} → 401 for ${who}`),
      );
    expect(refused).toEqual([]);
  });

  it('answers 401 unauthenticated to anonymous callers on every non-public operation', () => {
    const wrong = operations
      .filter((op) => !isPublic(op))
      .map((op) => ({ op, answer: answers.get(op.operationId)?.get('anonymous') }))
      .filter(({ answer }) => answer?.status !== 401 || answer.code !== 'unauthenticated')
      .map(({ op, answer }) => `${describeOp(op)} → ${answer?.status} ${answer?.code}`);
    expect(wrong).toEqual([]);
  });

  it('lets exactly the roles permissions.ts grants through, with a cookie session', () => {
    const table = operations
      .filter((op) => !isPublic(op))
      .map((op) => ({ op: describeOp(op), allowed: allowedBy(op, 'session') }));
    const expected = operations
      .filter((op) => !isPublic(op))
      .map((op) => ({ op: describeOp(op), allowed: grantedRoles(op) }));
    expect(table).toEqual(expected);
  });

  it('lets the same roles through with an API token, except session-only operations (403 to every token)', () => {
    const table = operations
      .filter((op) => !isPublic(op))
      .map((op) => ({ op: describeOp(op), allowed: allowedBy(op, 'token') }));
    const expected = operations
      .filter((op) => !isPublic(op))
      .map((op) => ({ op: describeOp(op), allowed: op['x-attest-session-only'] ? [] : grantedRoles(op) }));
    expect(table).toEqual(expected);
  });

  it('refuses with the guard problem (forbidden), not some later 403', () => {
    const odd = operations
      .filter((op) => !isPublic(op))
      .flatMap((op) =>
        [...(answers.get(op.operationId) ?? [])]
          .filter(([, a]) => a.status === 403 && a.code !== 'forbidden')
          .map(([who, a]) => `${describeOp(op)} → 403 ${a.code} for ${who}`),
      );
    expect(odd).toEqual([]);
  });

  it('never answers 401 to a signed-in session or a valid token (so the tables above are not hollow)', () => {
    const lost = operations.flatMap((op) =>
      [...(answers.get(op.operationId) ?? [])]
        .filter(([who, a]) => who !== 'anonymous' && a.status === 401 && a.code === 'unauthenticated')
        .map(([who]) => `${describeOp(op)} → 401 for ${who}`),
    );
    expect(lost).toEqual([]);
  });

  it('never answers 500 to any caller', () => {
    const failures = operations.flatMap((op) =>
      [...(answers.get(op.operationId) ?? [])]
        .filter(([, a]) => a.status >= 500)
        .map(([who, a]) => `${describeOp(op)} → ${a.status} for ${who}`),
    );
    expect(failures).toEqual([]);
  });
});
