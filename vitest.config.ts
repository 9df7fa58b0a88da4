import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    passWithNoTests: true,
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'test/domain/**/*.test.ts',
            'test/playbook/**/*.test.ts',
            'test/unit/**/*.test.ts',
            'test/web/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'test/integration/**/*.test.ts',
            'test/storage/**/*.test.ts',
            'test/crash/**/*.test.ts',
            'test/cli/**/*.test.ts',
            'test/agents/**/*.test.ts',
            'test/sources/**/*.test.ts',
            'test/engine/**/*.test.ts',
            'test/http/**/*.test.ts',
            'test/relay/**/*.test.ts',
            'test/e2e/**/*.test.ts',
          ],
          // Probes PostgreSQL and NATS once; suites read the result with inject('services').
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
