import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests spawn the CLI; on a loaded 2-core machine a few seconds is normal.
    testTimeout: 60_000,
  },
});
