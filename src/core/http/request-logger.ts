import type { FastifyBaseLogger } from 'fastify';

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * `request.log` that becomes pino's child (with the request id bound) only when a line is actually
 * written. Fastify makes a child logger for every request; a public page read from memory writes no
 * line at info (logging.ts: routine requests log at debug), so most requests never need one.
 * A call at a level that is off returns before any child exists, as pino's own no-op would.
 */
export class LazyRequestLogger {
  #child: FastifyBaseLogger | undefined;
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  /** The real child, made on first use: every line it writes carries the request's bindings. */
  get materialized(): boolean {
    return this.#child !== undefined;
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  get level(): string {
    return this.#child?.level ?? this.#options.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  /** pino's numeric level, read by the request log to skip building lines nobody writes. */
  get levelVal(): number | undefined {
    return ((this.#child ?? this.#parent) as { levelVal?: number }).levelVal;
  }

  #enabled(level: Level): boolean {
    if (this.#child || this.#options.level) return true;
    const parent = this.#parent as { isLevelEnabled?: (level: string) => boolean };
    return parent.isLevelEnabled ? parent.isLevelEnabled(level) : true;
  }

  #write(level: Level, args: unknown[]): void {
    if (!this.#enabled(level)) return;
    (this.#real()[level] as (...args: unknown[]) => void)(...args);
  }

  // Prototype methods, not arrow fields: nothing is allocated per request beyond this object.
  fatal(...args: unknown[]): void {
    this.#write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#write('error', args);
  }
  warn(...args: unknown[]): void {
    this.#write('warn', args);
  }
  info(...args: unknown[]): void {
    this.#write('info', args);
  }
  debug(...args: unknown[]): void {
    this.#write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: the lazy logger above in place of a pino child per request. */
export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
