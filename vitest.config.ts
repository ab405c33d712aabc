import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/domains.ts'],
    globalSetup: ['test/helpers/web-build.global.ts'],
    // Generous: CI shares two cores, and PGlite on disk plus Argon2 can take a while under load.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores here; PGlite and Argon2 are CPU-heavy, more workers only thrash.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
