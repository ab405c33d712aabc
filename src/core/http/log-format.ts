import { Writable } from 'node:stream';

/** How the server writes its log: `auto` is `pretty` on a terminal and `json` anywhere else (a collector). */
export type LogFormat = 'auto' | 'pretty' | 'json';

export function resolveLogFormat(format: LogFormat, isTerminal: boolean): 'pretty' | 'json' {
  if (format === 'auto') return isTerminal ? 'pretty' : 'json';
  return format;
}

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '90' },
  20: { name: 'DEBUG', color: '90' },
  30: { name: 'INFO ', color: '32' },
  40: { name: 'WARN ', color: '33' },
  50: { name: 'ERROR', color: '31' },
  60: { name: 'FATAL', color: '35' },
};

type LogRecord = {
  level?: number;
  time?: number;
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { type?: string; message?: string; stack?: string };
  [key: string]: unknown;
};

/** Fields a readable line shows in its own words; anything else is appended as `key=value`. */
const SHOWN = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  'reqId',
  'req',
  'res',
  'responseTime',
  'err',
]);

function clock(time: number | undefined): string {
  const date = new Date(time ?? Date.now());
  return date.toISOString().slice(11, 19);
}

function extras(record: LogRecord): string {
  const pairs = Object.entries(record)
    .filter(([key, value]) => !SHOWN.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return pairs.length > 0 ? ` ${pairs.join(' ')}` : '';
}

/**
 * One pino record as one line a person reads: `12:03:04 INFO  GET /en/security 200 12 ms`. A request
 * line says method, URL (already redacted by the serializer), status and duration; an error adds its
 * message (the stack only at the end, indented, so one failure stays one block).
 */
export function formatLogRecord(record: LogRecord, options: { color: boolean }): string {
  const level = LEVELS[record.level ?? 30] ?? { name: 'LOG  ', color: '0' };
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  let text: string;
  if (record.req && record.res) {
    const status = record.res.statusCode ?? 0;
    const ms = typeof record.responseTime === 'number' ? ` ${Math.round(record.responseTime)} ms` : '';
    const statusText = paint(status >= 500 ? '31' : status >= 400 ? '33' : '0', String(status));
    text = `${record.req.method ?? ''} ${record.req.url ?? ''} ${statusText}${ms}`;
  } else {
    text = record.msg ?? '';
  }
  if (record.err?.message && !text.includes(record.err.message)) text += ` — ${record.err.message}`;
  const stack =
    record.err?.stack && (record.level ?? 30) >= 50
      ? `\n    ${record.err.stack.split('\n').slice(1).join('\n    ').trim()}`
      : '';
  return `${paint('90', clock(record.time))} ${paint(level.color, level.name)} ${text}${extras(record)}${stack}\n`;
}

/**
 * A stream for pino's JSON lines that writes them readable to `out`. Pino still does the work (levels,
 * serializers, redaction): this only changes the last step, so a line that is not JSON passes unchanged.
 */
export function prettyLogStream(out: NodeJS.WritableStream, options: { color: boolean }): Writable {
  let pending = '';
  return new Writable({
    write(chunk, _encoding, done) {
      pending += String(chunk);
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim()) {
          let formatted: string;
          try {
            formatted = formatLogRecord(JSON.parse(line) as LogRecord, options);
          } catch {
            formatted = `${line}\n`;
          }
          out.write(formatted);
        }
        newline = pending.indexOf('\n');
      }
      done();
    },
  });
}
