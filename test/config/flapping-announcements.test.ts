// The flapping and announcements keys: defaults, and bad values named with their key.
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/load.js";

describe("config: flapping and announcements", () => {
  it("defaults: 3 failures in 10 minutes is flapping; a lasting condition is reminded of daily", () => {
    const config = parseConfig({});
    expect(config.flapping).toEqual({ failures: 3, window: 600_000 });
    expect(config.announcements).toEqual({ remindEvery: 86_400_000 });
  });

  it("durations read like the runbook", () => {
    expect(parseConfig({ flapping: { failures: 12, window: "10m" }, announcements: { remindEvery: "12h" } })).toMatchObject({ flapping: { failures: 12, window: 600_000 }, announcements: { remindEvery: 43_200_000 } });
  });

  it.each([
    [{ flapping: { failures: 1 } }, /flapping\.failures/],
    [{ flapping: { failures: 2.5 } }, /flapping\.failures/],
    [{ flapping: { window: "soon" } }, /flapping\.window: not a duration.*"soon"/],
    [{ flapping: { threshold: 3 } }, /flapping.*threshold/],
    [{ announcements: { remindEvery: "daily" } }, /announcements\.remindEvery: not a duration.*"daily"/],
  ])("%j is refused, naming the key and the value", (bad, message) => {
    expect(() => parseConfig(bad)).toThrow(ConfigError);
    expect(() => parseConfig(bad)).toThrow(message);
  });
});
