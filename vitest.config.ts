import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    pool: 'forks',
    // Two test files at a time. Vitest's default on this 2-core CI machine is one (cores - 1), but
    // the files spend most of their time waiting on PostgreSQL, bcrypt workers and timers: two
    // at a time ran the PostgreSQL suite in 469 s of wall time for 757 s of test time, all green,
    // on a machine loaded by other work. Files share nothing but the server (each has its own database).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    sequence: { concurrent: false },
  },
});
