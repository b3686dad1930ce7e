// The config file: every key optional with runbook defaults; a bad value names its key and value.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig } from "../../src/config/load.js";
import { formatDuration, parseDuration } from "../../src/config/duration.js";

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "swd-config-")), "config.yaml");
  writeFileSync(path, text);
  return path;
};

describe("config", () => {
  it("an empty file gives the runbook's defaults", () => {
    const config = loadConfig(file(""));
    expect(config.namespace).toBe("songnodes");
    expect(config.k3s.containerdSocket).toBe("/run/k3s/containerd/containerd.sock");
    expect(config.timing.terminatingForceDelete).toBe(5 * 60_000);
    expect(config.timing.slowPullNoAction).toBe(30 * 60_000);
    expect(config.budgets.restartK3s).toEqual({ max: 3, window: 3_600_000 });
    expect(config.budgets.killallK3s).toEqual({ max: 1, window: 3_600_000 });
  });

  it("durations read like the runbook", () => {
    expect(parseConfig({ timing: { tick: "2s", healthyHold: 90, gaveUpCooldown: "1h30m" } }).timing).toMatchObject({ tick: 2000, healthyHold: 90_000, gaveUpCooldown: 5_400_000 });
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("5 minutes")).toBeNull();
    expect(formatDuration(90_000)).toBe("1m30s");
  });

  it.each([
    ["timing:\n  tick: soon\n", /timing\.tick: not a duration .*"soon"/],
    ["budgets:\n  restartK3s:\n    max: -1\n", /budgets\.restartK3s\.max: .*\(got -1\)/],
    ["namespace: Song_Nodes\n", /namespace: not a Kubernetes namespace name \(got "Song_Nodes"\)/],
    ["registry:\n  endpoint: not a url\n", /registry\.endpoint/],
    ["k3s:\n  unitt: k3s.service\n", /k3s: .*unitt/],
    ["dryRun: yes please\n", /dryRun: .*"yes please"/],
  ])("an invalid file is refused with the key path and the bad value: %j", (text, message) => {
    expect(() => loadConfig(file(text))).toThrow(ConfigError);
    expect(() => loadConfig(file(text))).toThrow(message);
  });

  it.each([
    ["budgets:\n  restartK3s: { window: 0 }\n", "budgets.restartK3s.window: must be between 1m and 7d (got 0)"],
    ["budgets:\n  killallK3s: { max: 1000000000 }\n", "budgets.killallK3s.max: must be between 0 and 20 (got 1000000000)"],
    ["budgets:\n  deletePods: { max: 1001 }\n", "budgets.deletePods.max: must be between 0 and 1000 (got 1001)"],
    ["timing:\n  tick: 1000000000000\n", "timing.tick: must be between 100ms and 5m (got 1000000000000)"],
    ["timing:\n  tick: 10ms\n", "timing.tick: must be between 100ms and 5m (got \"10ms\")"],
    ["timing:\n  probeTimeout: 0\n", "timing.probeTimeout: must be between 100ms and 2m (got 0)"],
    ["timing:\n  k3sHoldOff: 0\n", "timing.k3sHoldOff: must be between 1s and 1d (got 0)"],
    ["timing:\n  verify: { restartK3s: 0 }\n", "timing.verify.restartK3s: must be between 1s and 1d (got 0)"],
    ["timing:\n  gaveUpCooldown: 0\n", "timing.gaveUpCooldown: must be between 1m and 7d (got 0)"],
    ["actionTimeouts:\n  killallK3s: 0\n", "actionTimeouts.killallK3s: must be between 100ms and 30m (got 0)"],
    ["journal:\n  pruneEvery: 0\n", "journal.pruneEvery: must be between 1m and 1d (got 0)"],
    ["journal:\n  retention: 1s\n", "journal.retention: must be between 1h and 365d (got \"1s\")"],
    ["journal:\n  maxBytes: 1e12\n", "journal.maxBytes: must be between 1048576 and 1073741824 (got 1000000000000)"],
  ])("a duration or count outside its sane range is refused: %j", (text, message) => {
    expect(() => loadConfig(file(text))).toThrow(message);
  });

  it("every default lies within its range", () => {
    expect(() => parseConfig({})).not.toThrow();
  });

  it.each([
    ["file:///etc/shadow", "must be an http:// or https:// URL, not file:"],
    ["ftp://127.0.0.1/", "must be an http:// or https:// URL, not ftp:"],
    ["javascript:alert(1)", "must be an http:// or https:// URL, not javascript:"],
    ["http://0.0.0.0:5000", "must name this machine (localhost, 127.0.0.1 or ::1); set registry.allowRemote: true to probe 0.0.0.0"],
    ["http://[::]:5000", "must name this machine (localhost, 127.0.0.1 or ::1); set registry.allowRemote: true to probe [::]"],
  ])("a registry endpoint that is not http(s) to this machine is refused: %s", (endpoint, message) => {
    expect(() => parseConfig({ registry: { endpoint } })).toThrow(`registry.endpoint: ${message}`);
  });

  it("loopback registry endpoints are accepted, and a remote one only with registry.allowRemote", () => {
    for (const endpoint of ["http://localhost:5000", "http://127.0.0.1:5000", "https://[::1]:5000", "http://127.8.9.10:5000"]) {
      expect(parseConfig({ registry: { endpoint } }).registry.endpoint).toBe(endpoint);
    }
    expect(parseConfig({ registry: { endpoint: "http://0.0.0.0:5000", allowRemote: true } }).registry.endpoint).toBe("http://0.0.0.0:5000");
    expect(() => parseConfig({ registry: { endpoint: "ftp://0.0.0.0/", allowRemote: true } })).toThrow(/not ftp:/);
  });

  it("a file that is not YAML is refused with the file name", () => {
    const path = file("timing: [unclosed\n");
    expect(() => loadConfig(path)).toThrow(new RegExp(`${path}: not valid YAML`));
  });

  it("a missing default file means all defaults, a missing named file is an error", () => {
    expect(() => loadConfig("/nonexistent/config.yaml")).toThrow(/cannot read/);
  });
});
