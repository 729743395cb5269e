import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Two cores on CI: forks keep memory per test file bounded.
    pool: 'forks',
  },
});
