import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from '../../src/cli/progress.ts';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return {
    written,
    stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream,
  };
}

describe('createProgress', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('shows nothing for work that ends within the delay', () => {
    const { written, stream } = fakeStream(true);
    const progress = createProgress({ stream, describe: (n) => `${n} checked`, delayMs: 1000 });
    progress.update(1000);
    vi.advanceTimersByTime(900);
    progress.update(2000);
    progress.finish();
    expect(written).toEqual([]);
  });

  it('redraws one line in place on a terminal and clears it at the end', () => {
    const { written, stream } = fakeStream(true);
    const progress = createProgress({
      stream,
      describe: (n) => `${n} checked`,
      delayMs: 1000,
      intervalMs: 100,
    });
    vi.advanceTimersByTime(1000);
    progress.update(1000);
    vi.advanceTimersByTime(50);
    progress.update(2000);
    vi.advanceTimersByTime(50);
    progress.update(3000);
    progress.finish();
    expect(written).toEqual(['\r1000 checked\u001b[K', '\r3000 checked\u001b[K', '\r\u001b[K']);
  });

  it('writes whole lines, at most one per interval, when stderr is a file or a pipe', () => {
    const { written, stream } = fakeStream(false);
    const progress = createProgress({
      stream,
      describe: (n) => `${n} checked`,
      delayMs: 1000,
      intervalMs: 5000,
    });
    vi.advanceTimersByTime(1000);
    progress.update(1000);
    vi.advanceTimersByTime(1000);
    progress.update(2000);
    vi.advanceTimersByTime(4000);
    progress.update(6000);
    progress.finish();
    expect(written).toEqual(['1000 checked\n', '6000 checked\n']);
  });
});
