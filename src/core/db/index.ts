export * from './database.ts';
export * from './text.ts';
