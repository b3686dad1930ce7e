// The Prometheus rules in docs/alerts.md: `promtool check rules` accepts them and
// `promtool test rules` shows each alert firing on the series that mean it (Debian's prometheus
// package; CI installs it). Without promtool the test is skipped, and its title says so.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const promtool = spawnSync("promtool", ["--version"]).status === 0;
const rules = /<!-- rules:begin -->\n```yaml\n([\s\S]*?)```\n<!-- rules:end -->/.exec(readFileSync(join(process.cwd(), "docs", "alerts.md"), "utf8"))?.[1];

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
