export type Progress = {
  /** Reports how far the work is; cheap to call often, it redraws at most every `intervalMs`. */
  update(done: number): void;
  /** Clears the status line (on a terminal) once the work is over. */
  finish(): void;
};

export type ProgressOptions = {
  /** The status text for a count: `n => \`${n} entries checked\``. */
  describe(done: number): string;
  stream?: NodeJS.WriteStream;
  /** Quick work shows nothing: the first line appears only after this long. */
  delayMs?: number;
  /** Redraw interval; off a terminal (a log file) a new line is written at most this often. */
  intervalMs?: number;
};

/**
 * A progress line on stderr for long work: redrawn in place on a terminal, a line every few
 * seconds when stderr is a file or a pipe, nothing at all when the work is over within `delayMs`.
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const isTerminal = Boolean(stream.isTTY);
  const delayMs = options.delayMs ?? 1000;
  const intervalMs = options.intervalMs ?? (isTerminal ? 100 : 5000);
  const startedAt = Date.now();
  let lastDrawnAt = 0;
  let drawn = false;
  return {
    update(done) {
      const now = Date.now();
      if (now - startedAt < delayMs || now - lastDrawnAt < intervalMs) return;
      lastDrawnAt = now;
      drawn = true;
      stream.write(isTerminal ? `\r${options.describe(done)}\u001b[K` : `${options.describe(done)}\n`);
    },
    finish() {
      if (drawn && isTerminal) stream.write('\r\u001b[K');
    },
  };
}
