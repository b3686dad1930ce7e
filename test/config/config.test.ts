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

  it("a file that is not YAML is refused with the file name", () => {
    const path = file("timing: [unclosed\n");
    expect(() => loadConfig(path)).toThrow(new RegExp(`${path}: not valid YAML`));
  });

  it("a missing default file means all defaults, a missing named file is an error", () => {
    expect(() => loadConfig("/nonexistent/config.yaml")).toThrow(/cannot read/);
  });
});
