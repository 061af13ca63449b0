import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    globals: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // each file builds its own app and database; PostgreSQL files use their own schema
    pool: 'forks',
  },
});
