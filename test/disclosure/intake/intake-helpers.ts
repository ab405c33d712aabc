import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { uniqueIp } from '../../fixtures/identity.ts';
import { DISCLOSURE_API, editDraft, publish } from '../program/program-helpers.ts';

export const REPORTS_API = `${DISCLOSURE_API}/reports`;

export type Part =
  | { name: string; value: string; contentType?: string }
  | { name: string; fileName: string; contentType?: string; content: Buffer };

/** A multipart/form-data body as a browser (or curl -F) sends it. */
export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----attest${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      'fileName' in part
        ? `form-data; name="${part.name}"; filename="${part.fileName}"`
        : `form-data; name="${part.name}"`;
    const type = part.contentType ?? ('fileName' in part ? 'application/octet-stream' : undefined);
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`;
    chunks.push(
      Buffer.from(head),
      'fileName' in part ? part.content : Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Posts a form as multipart from a fresh client address (per-address limits stay out of the way). */
export function postMultipart(
  app: FastifyInstance,
  url: string,
  parts: Part[],
  options: { remoteAddress?: string; headers?: Record<string, string> } = {},
) {
  const body = multipart(parts);
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: options.remoteAddress ?? uniqueIp(),
    headers: { ...body.headers, ...options.headers },
    payload: body.payload,
  });
}

/** Text fields as multipart parts (a list gives the name several times). */
export function fieldParts(fields: Record<string, string | string[]>): Part[] {
  return Object.entries(fields).flatMap(([name, value]) =>
    [value].flat().map((one) => ({ name, value: one })),
  );
}

let counter = 0;
/** A unique researcher address. */
export function researcherEmail(): string {
  counter += 1;
  return `researcher${counter}-${process.pid}-${Date.now()}@lab.example.test`;
}

export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
export const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]),
  Buffer.from('JFIF\0'),
  randomBytes(64),
]);
/** A Windows executable's header: not something the intake accepts, whatever the file is called. */
export const EXE = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(58),
  Buffer.from([0x80, 0, 0, 0]),
  Buffer.alloc(64),
  Buffer.from('PE\0\0'),
  randomBytes(64),
]);

/** The JSON body of a valid report; `overrides` replace fields (undefined removes one). */
export function reportBody(policyVersion: number, overrides: Record<string, unknown> = {}) {
  const body: Record<string, unknown> = {
    locale: 'en',
    asset: 'app.example.com',
    category: 'cross-site-scripting',
    title: 'Stored XSS in the profile display name',
    description: 'The display name is rendered without escaping on the public profile page of every user.',
    steps: '1. Set the display name to <img src=x onerror=alert(1)>\n2. Open the profile.',
    impact: 'Session theft of any visitor of the profile.',
    reporter: {
      name: 'Zoë Researcher',
      email: researcherEmail(),
      handle: 'zoe',
      url: 'https://zoe.example.test',
    },
    creditPreference: 'name',
    acceptPolicy: true,
    policyVersion,
    ...overrides,
  };
  for (const [key, value] of Object.entries(body)) if (value === undefined) delete body[key];
  return body;
}

/**
 * Publishes a program for intake tests: assets in and out of scope, the clock in Paris. Returns the
 * version number.
 */
export async function publishIntakeProgram(app: FastifyInstance, headers: Record<string, string>) {
  const saved = await editDraft(app, headers, (source) => {
    source.timeZone = 'Europe/Paris';
    source.assets = [
      {
        identifier: 'app.example.com',
        kind: 'domain',
        inScope: true,
        description: { en: 'The application' },
      },
      { identifier: 'legacy.example.com', kind: 'domain', inScope: false, description: {} },
    ];
    return source;
  });
  expect(saved.statusCode, saved.body).toBe(200);
  return publish(app, headers);
}

/** The follow token at the end of a follow URL. */
export function tokenOf(url: string): string {
  const token = /\/security\/(?:follow|portal|report\/received)\/([A-Za-z0-9_-]{43})/.exec(url)?.[1];
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}
