import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/system/**", "node_modules/**"],
    // Adapter tests start real peers (dbus-daemon, HTTPS servers, child daemons): give them room,
    // but keep files isolated so a stuck peer cannot leak into another file.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Two test files at a time even on a two-core machine (vitest's default there is one): most
    // files wait on child processes, sockets and timers, not the CPU. This halves the suite's time;
    // every test must hold under that load, which is how CI runs it.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
