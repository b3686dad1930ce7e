// Text for people: within 80 columns, columns aligned under their headers, an empty answer that
// says what is missing, and a scenario timeline that folds what repeats.
import { describe, expect, it } from "vitest";
import { createPaint } from "../../src/cli/format/colour.js";
import { renderBoots, renderHistory } from "../../src/cli/format/history-text.js";
import { shortenMiddle, table, wrap } from "../../src/cli/format/wrap.js";
import type { TimelineEntry } from "../../src/sim/scenario/runner.js";
import { createTimelinePrinter, formatEntry } from "../../src/sim/scenario/timeline.js";

const plain = createPaint(false);
const bytes = (line: string) => Buffer.byteLength(line);

describe("fitting 80 columns", () => {
  it("wraps at word boundaries under a hanging indent, keeps column padding, and breaks a word longer than a line", () => {
    const lines = wrap(`  ● registry          bad      ${"the local registry is down: GET http://127.0.0.1:5000/v2/ connection refused; ".repeat(3)}`, " ".repeat(31));
    expect(lines[0]!.startsWith("  ● registry          bad      the local")).toBe(true);
    for (const line of lines) expect(bytes(line)).toBeLessThanOrEqual(80);
    for (const line of lines.slice(1)) expect(line.startsWith(" ".repeat(31))).toBe(true);
    const long = wrap(`x ${"a".repeat(200)}`, "  ");
    expect(long.every((line) => bytes(line) <= 80)).toBe(true);
    expect(long.join("").replace(/ /g, "")).toBe(`x${"a".repeat(200)}`);
  });

  it("counts UTF-8 bytes, so arrows and ticks cannot push a line past 80 for awk either", () => {
    for (const line of wrap("→ ✔ ×".repeat(30))) expect(bytes(line)).toBeLessThanOrEqual(80);
  });

  it("a table shortens its named column in the middle when the last one would have no room", () => {
    const rows = [["graph-visualization-f8wcvtgg8k-42pl5-with-a-longer-name", "ImagePullBackOff", "0", "54s", "force-delete"]];
    const lines = table(["NAME", "STATUS", "RESTARTS", "AGE", "DAEMON WOULD"], rows, 80, "  ", 0);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(bytes(line)).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/^graph-visualization-\S*…\S*-name +ImagePullBackOff +0 +54s +force-delete$/);
    expect(shortenMiddle("abcdefghij", 7)).toBe("abcd…ij");
  });
});

describe("history and boots", () => {
  it("the boots header sits over its columns, for boot ids of 36 characters", () => {
    const text = renderBoots([{ bootId: "c46d5e6a-77e4-426c-9d05-ffa86ef45a94", firstSeenAt: Date.parse("2026-12-01T03:55:38Z"), timeToHealthyMs: 719 }] as never, plain);
    const [header, row] = text.split("\n") as [string, string];
    expect(header.indexOf("FIRST SEEN")).toBe(38);
    expect(row.slice(38, 42)).toMatch(/^\d{4}$/);
    expect(header.indexOf("TIME TO HEALTHY")).toBe(row.indexOf("719ms"));
  });

  it("an empty history says 'No history recorded yet.' only when nothing was filtered out", () => {
    expect(renderHistory([], plain)).toBe("No history recorded yet.\n");
    expect(renderHistory([], plain, { kind: "action" })).toBe("No action entries; other entries may exist: try without --kind or --since.\n");
    expect(renderHistory([], plain, { since: "2h" })).toBe("No entries since 2h; other entries may exist: try without --kind or --since.\n");
    // Within 80 columns also with the longest kind and a full time.
    const long = renderHistory([], plain, { kind: "observation", since: "2026-12-01T03:55:45.000Z" });
    expect(long.replace(/\n(?!$)/g, " ")).toBe("No observation entries since 2026-12-01T03:55:45.000Z; other entries may exist: try without --kind or --since.\n");
    for (const line of long.split("\n")) expect(bytes(line)).toBeLessThanOrEqual(80);
  });
});

describe("the scenario timeline", () => {
  const at = (s: number, kind: TimelineEntry["kind"], text: string, extra: Partial<TimelineEntry> = {}): TimelineEntry => ({ at: s * 1000, phase: "recovering", kind, text, ...extra });

  it("folds repeated unit transitions into one line; --verbose shows every one", () => {
    const entries: TimelineEntry[] = [at(0, "fault", "k3s dies and never starts again")];
    for (let i = 0; i < 37; i += 1) {
      entries.push(at(10 + i * 15, "node", "k3s.service failed (failed), result exit-code"));
      entries.push(at(11 + i * 15, "node", "k3s.service activating (auto-restart), result exit-code"));
      entries.push(at(16 + i * 15, "node", "k3s.service activating (start), result exit-code"));
    }
    entries.push(at(600, "announce", "gave up on k3s-down", { level: "err" }));
    const out: string[] = [];
    const printer = createTimelinePrinter((text) => out.push(text), false, false);
    entries.forEach((e) => printer.entry(e));
    printer.end();
    const text = out.join("");
    expect(text.split("\n").filter(Boolean)).toEqual([
      "+00:00  FAULT    k3s dies and never starts again",
      "+00:10  node     k3s.service failed → auto-restart → start ×37, 111",
      "                 transitions until +09:16",
      "+10:00  says     gave up on k3s-down",
    ]);
    const verbose: string[] = [];
    const all = createTimelinePrinter((line) => verbose.push(line), false, true);
    entries.forEach((e) => all.entry(e));
    all.end();
    expect(verbose).toHaveLength(entries.length);
  });

  it("a dry-run plan says WOULD, not ACTS, and an action's outcome gets its own line", () => {
    expect(formatEntry(at(5, "action", "restart-k3s: k3s.service failed", { outcome: { ok: true, text: "dry-run: not executed" } }), false)).toBe("+00:05  WOULD    restart-k3s: k3s.service failed");
    expect(formatEntry(at(5, "action", "restart-k3s: k3s.service failed", { outcome: { ok: true, text: "RestartUnit k3s.service: job queued" } }), false)).toBe(
      "+00:05  ACTS     restart-k3s: k3s.service failed\n                 ✔ RestartUnit k3s.service: job queued",
    );
  });
});
