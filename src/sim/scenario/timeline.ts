// The timeline a person reads: one line per event with the node time (+MM:SS), the daemon's
// phase, what was observed, decided or done, and how it went; then the verdict. Colour only on a
// terminal, and never when NO_COLOR is set (https://no-color.org).
import { formatDuration } from "../../config/duration.js";
import type { ScenarioReport, TimelineEntry } from "./runner.js";

type Paint = (code: string, text: string) => string;
const painter = (colour: boolean): Paint => (code, text) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);

const TAGS: Record<TimelineEntry["kind"], { label: string; code: string }> = {
  fault: { label: "FAULT", code: "1;31" },
  operator: { label: "OPERATOR", code: "1;35" },
  node: { label: "node", code: "2" },
  observe: { label: "sees", code: "36" },
  decide: { label: "decides", code: "33" },
  action: { label: "ACTS", code: "1;33" },
  announce: { label: "says", code: "1;34" },
  phase: { label: "phase", code: "1;36" },
  daemon: { label: "daemon", code: "35" },
  maintenance: { label: "CHECK", code: "1;34" },
};

/** "+01:23" (minutes may pass 59 in long scenarios). */
export function nodeTime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `+${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
}

/** One timeline line. */
export function formatEntry(entry: TimelineEntry, colour: boolean): string {
  const paint = painter(colour);
  const tag = TAGS[entry.kind];
  const phase = (entry.phase ?? "(not running)").padEnd(17);
  const levelCode = entry.level === "err" ? "1;31" : entry.level === "warning" ? "33" : tag.code;
  const text = entry.kind === "node" ? paint("2", entry.text) : entry.kind === "announce" ? paint(levelCode, entry.text) : entry.text;
  const outcome = entry.outcome ? `  ${paint(entry.outcome.ok ? "32" : "31", `${entry.outcome.ok ? "✔" : "✘"} ${entry.outcome.text}`)}` : "";
  return `${paint("2", nodeTime(entry.at))}  ${paint("36", phase)} ${paint(tag.code, tag.label.padEnd(8))} ${text}${outcome}`;
}

/** The header printed before the timeline. */
export function formatHeader(report: Pick<ScenarioReport, "name" | "description" | "runbook" | "durationMs">, colour: boolean): string {
  const paint = painter(colour);
  return [
    paint("1", `Scenario ${report.name}`) + paint("2", `  (${formatDuration(report.durationMs)} of node time; runbook: ${report.runbook})`),
    report.description.trim(),
    "",
    paint("2", `${"time".padEnd(6)}  ${"daemon phase".padEnd(17)} ${"what".padEnd(8)} detail`),
  ].join("\n");
}

/** The verdict block. */
export function formatVerdict(report: ScenarioReport, colour: boolean): string {
  const paint = painter(colour);
  const lines = ["", paint("1", "Expectations")];
  for (const verdict of report.verdicts) {
    lines.push(`  ${paint(verdict.ok ? "32" : "31", verdict.ok ? "✔" : "✘")} ${verdict.expectation}${paint("2", ` — ${verdict.detail}`)}`);
  }
  lines.push("");
  lines.push(report.passed ? paint("1;32", `PASS: every expectation held.`) : paint("1;31", `FAIL: ${report.verdicts.filter((v) => !v.ok).length} expectation(s) did not hold.`));
  lines.push(paint("2", `Node at the end: ${report.finalNode}. ${formatDuration(report.durationMs)} of node time took ${(report.wallMs / 1000).toFixed(2)} s.`));
  return lines.join("\n");
}
