export * from './failure.ts';
export * from './jobs.ts';
export * from './worker.ts';
