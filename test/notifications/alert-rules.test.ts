// The Prometheus rules in docs/alerts.md: `promtool check rules` accepts them and
// `promtool test rules` shows each alert firing on the series that mean it (Debian's prometheus
// package; CI installs it). Without promtool the test is skipped, and its title says so.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openJournal } from "../../src/journal/index.js";
import { renderMetrics } from "../../src/status/metrics.js";
import { buildStatusView } from "../../src/status/status-view.js";
import { createFakeSource } from "../status/fake-source.js";

const promtool = spawnSync("promtool", ["--version"]).status === 0;
const rules = /<!-- rules:begin -->\n```yaml\n([\s\S]*?)```\n<!-- rules:end -->/.exec(readFileSync(join(process.cwd(), "docs", "alerts.md"), "utf8"))?.[1];

// PromQL words that are not metric names (operators, modifiers); a word followed by "(" is a function.
const PROMQL_WORDS = new Set(["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset"]);
// Labels Prometheus adds to every scraped series; the daemon never exports them.
const TARGET_LABELS = new Set(["job", "instance"]);

/** Every selector in the rules' expressions: the metric name and the label names it matches on. */
function selectors(text: string): { name: string; labels: string[] }[] {
  const found: { name: string; labels: string[] }[] = [];
  for (const [, expr] of text.matchAll(/^\s*expr: (.+)$/gm)) {
    const bare = expr!.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\[[^\]]*\]/g, "");
    for (const match of bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?\s*(\()?/g)) {
      const [, name, braces, call] = match;
      if (call || PROMQL_WORDS.has(name!) || /^\d/.test(name!)) continue;
      // A label name inside braces is matched as a word of its own: skip what the braces hold.
      if (bare[match.index! - 1] === "{" || /[{,]\s*$/.test(bare.slice(0, match.index))) continue;
      found.push({ name: name!, labels: [...(braces ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*[=!]/g)].map((m) => m[1]!) });
    }
  }
  return found;
}

/** The families the daemon's /metrics renderer writes, with the label names of their samples, for a daemon with every optional part on. */
function exportedFamilies(): Map<string, Set<string>> {
  const now = Date.now();
  const source = createFakeSource(openJournal(":memory:"), { bootId: "b", startedAt: now - 60_000, now: () => now });
  const run = { check: "host-disk", startedAt: now - 1000, finishedAt: now, level: "crit" as const, reason: "/ 95 % used", next: null, findings: [], why: "scheduled" };
  const snapshot = {
    ...source.snapshot(now),
    lastIteration: { at: now, durationMs: 12, decideMs: 1, count: 3, probesRead: 7 },
    maintenance: [{ name: "host-disk", cadence: "daily", schedule: "0 3 * * *", running: false, lastRun: run, nextRunAt: now + 3_600_000 }],
    notifications: { queued: 1, delivered: 2, failed: 3, dropped: 4 },
  };
  const text = renderMetrics(buildStatusView(snapshot, now));
  const families = new Map<string, Set<string>>();
  for (const [, name] of text.matchAll(/^# TYPE (\S+) (?:gauge|counter)$/gm)) families.set(name!, new Set());
  for (const [, name, pairs] of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? \S+$/gm)) {
    for (const [, label] of (pairs ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) families.get(name!)?.add(label!);
  }
  return families;
}

describe("the alert rules in docs/alerts.md", () => {
  it("are in the document between the markers, one for each thing a person must hear of", () => {
    expect(rules).toBeDefined();
    const names = [...rules!.matchAll(/- alert: (\S+)/g)].map((m) => m[1]);
    expect(names).toEqual([
      "SongnodesWatchdogDown", "SongnodesWatchdogGaveUp", "SongnodesWatchdogPersonNeeded", "SongnodesWatchdogBudgetNearlySpent",
      "SongnodesWatchdogMaintenanceCrit", "SongnodesWatchdogNotificationsBackingUp", "SongnodesWatchdogNotificationsDropped",
    ]);
    expect(rules).toContain('expr: up{job="songnodes-watchdog"} == 0');
  });

  it("name only metrics and labels the daemon's /metrics exports (and Prometheus's own up)", () => {
    const exported = exportedFamilies();
    // The renderer's optional families are on in this view, so a missing name is a wrong name.
    expect(exported.has("songnodes_watchdog_maintenance_level")).toBe(true);
    expect(exported.has("songnodes_watchdog_notifications_dropped_total")).toBe(true);
    const used = selectors(rules!);
    expect(used.map((s) => s.name)).toContain("songnodes_watchdog_gave_up");
    for (const { name, labels } of used) {
      if (name === "up") continue;
      expect(exported.has(name), `${name} is not exported by the daemon's /metrics`).toBe(true);
      for (const label of labels.filter((l) => !TARGET_LABELS.has(l))) expect([name, exported.get(name)!.has(label)]).toEqual([name, true]);
    }
  });

  it.skipIf(!promtool)(`pass promtool check rules and promtool test rules${promtool ? "" : " (skipped: promtool is not installed)"}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "swd-rules-"));
    writeFileSync(join(dir, "alerts.rules.yml"), rules!);
    copyFileSync(join(process.cwd(), "test", "notifications", "fixtures", "alert-rules.test.yml"), join(dir, "alert-rules.test.yml"));
    const checked = execFileSync("promtool", ["check", "rules", join(dir, "alerts.rules.yml")], { encoding: "utf8" });
    expect(checked).toContain("SUCCESS: 7 rules found");
    const tested = spawnSync("promtool", ["test", "rules", join(dir, "alert-rules.test.yml")], { encoding: "utf8", cwd: dir });
    expect(tested.stdout + tested.stderr).toContain("SUCCESS");
    expect(tested.status).toBe(0);
  });
});
