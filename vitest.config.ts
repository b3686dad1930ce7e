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
  },
});
