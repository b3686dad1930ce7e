// The timeline a person reads: one line per event with the node time (+MM:SS), what was observed,
// decided or done, and how it went; then the verdict. Every line fits 80 columns. By default the
// events that matter are shown and the node's repeated unit transitions are folded into one line
// ("k3s.service failed → auto-restart → start ×12"); `verbose` shows every event with the daemon's
// phase beside it. Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
import { formatDuration } from "../../config/duration.js";
import { wrap } from "../../cli/format/wrap.js";
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

// A remedy the daemon only planned (dry-run) was not taken: it WOULD, it did not ACT.
const dryRun = (entry: TimelineEntry) => entry.kind === "action" && entry.outcome?.text.startsWith("dry-run") === true;

/** One timeline entry as lines of at most 80 columns; `verbose` adds the daemon's phase column. */
export function formatEntry(entry: TimelineEntry, colour: boolean, verbose = false): string {
  const paint = painter(colour);
  const tag = dryRun(entry) ? { label: "WOULD", code: "1;33" } : TAGS[entry.kind];
  const phase = verbose ? `${paint("36", (entry.phase ?? "(not running)").padEnd(17))} ` : "";
  const levelCode = entry.level === "err" ? "1;31" : entry.level === "warning" ? "33" : tag.code;
  const text = entry.kind === "node" ? paint("2", entry.text) : entry.kind === "announce" ? paint(levelCode, entry.text) : entry.text;
  const lead = `${paint("2", nodeTime(entry.at))}  ${phase}${paint(tag.code, tag.label.padEnd(8))} `;
  const hang = " ".repeat(8 + (verbose ? 18 : 0) + 9);
  const lines = wrap(`${lead}${text}`, hang);
  if (entry.outcome && !dryRun(entry)) lines.push(...wrap(`${hang}${paint(entry.outcome.ok ? "32" : "31", `${entry.outcome.ok ? "✔" : "✘"} ${entry.outcome.text}`)}`, `${hang}  `));
  return lines.join("\n");
}

// "k3s.service activating (auto-restart), result exit-code" → "auto-restart".
const UNIT_NOTE = /^(\S+\.service) (\S+) \(([^)]+)\)/;

/** A run of the node's unit transitions as one line: the cycle it went through and how often. */
export function foldUnitNotes(entries: TimelineEntry[]): TimelineEntry {
  const first = entries[0] as TimelineEntry;
  const last = entries[entries.length - 1] as TimelineEntry;
  const states = entries.map((e) => UNIT_NOTE.exec(e.text)?.[3] ?? e.text);
  const unit = UNIT_NOTE.exec(first.text)?.[1] ?? "the unit";
  // Counted by its failures when there are any (else by its commonest state), told from "failed" on.
  const seen = [...new Set(states)];
  const count = (state: string) => states.filter((s) => s === state).length;
  const anchor = seen.includes("failed") ? "failed" : seen.reduce((a, b) => (count(b) > count(a) ? b : a));
  const at = seen.indexOf(anchor);
  const cycle = [...seen.slice(at), ...seen.slice(0, at)];
  const times = count(anchor);
  return { ...first, text: `${unit} ${cycle.join(" → ")} ×${times}, ${entries.length} transitions until ${nodeTime(last.at)}` };
}

/** Prints a scenario's timeline as it happens; call `end()` before the verdict. */
export interface TimelinePrinter {
  entry(entry: TimelineEntry): void;
  end(): void;
}

// What the daemon and the operator did, and what struck the node, is always shown; what the node
// and the probes did in between is background, and a long stretch of it is shortened.
const BACKGROUND = new Set<TimelineEntry["kind"]>(["node", "observe", "phase"]);
/** A stretch of background longer than this many lines shows its start, a summary, and its end. */
export const BACKGROUND_LINES = 16;
const HEAD = 10;
const TAIL = 3;

// Consecutive unit transitions (more than three) become one line; probes that turn ok at the same
// moment become one line (their reasons are what "ok" means).
function condense(entries: TimelineEntry[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  let units: TimelineEntry[] = [];
  const flushUnits = () => {
    if (units.length > 3) out.push(foldUnitNotes(units));
    else out.push(...units);
    units = [];
  };
  for (const entry of entries) {
    if (entry.kind === "node" && UNIT_NOTE.test(entry.text)) {
      units.push(entry);
      continue;
    }
    flushUnits();
    const previous = out[out.length - 1];
    const ok = entry.kind === "observe" && / ok: /.test(entry.text);
    if (ok && previous?.kind === "observe" && previous.at === entry.at && previous.text.startsWith("ok: ")) {
      out[out.length - 1] = { ...previous, text: `${previous.text}, ${entry.text.split(" ")[0]}` };
    } else if (ok) {
      out.push({ ...entry, text: `ok: ${entry.text.split(" ")[0]}` });
    } else {
      out.push(entry);
    }
  }
  flushUnits();
  return out;
}

// "phase healthy → waiting-for-k3s ×19; k3sUnit bad ×20, ok ×19; 40 node events" for what was left out.
function summarise(left: TimelineEntry[]): string {
  const counts = new Map<string, number>();
  let node = 0;
  for (const entry of left) {
    if (entry.kind === "node") node += 1;
    const key = entry.kind === "phase" ? `phase → ${entry.text.split(" → ")[1] ?? entry.text}` : entry.kind === "observe" ? (entry.text.startsWith("ok: ") ? "probes ok" : entry.text.split(":")[0] ?? "") : "";
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].map(([key, n]) => `${key} ×${n}`);
  if (node > 0) parts.push(`${node} node event(s)`);
  return `… ${left.length} more line(s) (--verbose shows them): ${parts.join("; ")}`;
}

/** A printer that shortens background stretches and folds unit transitions, unless `verbose`. */
export function createTimelinePrinter(write: (text: string) => void, colour: boolean, verbose: boolean): TimelinePrinter {
  let held: TimelineEntry[] = [];
  const print = (entry: TimelineEntry) => write(`${formatEntry(entry, colour, verbose)}\n`);
  const flush = () => {
    const lines = condense(held);
    held = [];
    if (lines.length <= BACKGROUND_LINES) return lines.forEach(print);
    lines.slice(0, HEAD).forEach(print);
    const left = lines.slice(HEAD, lines.length - TAIL);
    print({ ...(left[0] as TimelineEntry), kind: "node", text: summarise(left) });
    lines.slice(lines.length - TAIL).forEach(print);
  };
  return {
    entry(entry) {
      if (verbose) return print(entry);
      if (BACKGROUND.has(entry.kind)) {
        held.push(entry);
        return;
      }
      flush();
      print(entry);
    },
    end: flush,
  };
}

/** The header printed before the timeline. */
export function formatHeader(report: Pick<ScenarioReport, "name" | "description" | "runbook" | "durationMs">, colour: boolean, verbose = false): string {
  const paint = painter(colour);
  return [
    ...wrap(paint("1", `Scenario ${report.name}`) + paint("2", ` (${formatDuration(report.durationMs)} of node time)`)),
    ...wrap(paint("2", `runbook: ${report.runbook}`), "  "),
    ...wrap(report.description.trim().replace(/\s+/g, " ")),
    "",
    paint("2", `${"time".padEnd(6)}  ${verbose ? `${"daemon phase".padEnd(17)} ` : ""}${"what".padEnd(8)} detail`),
  ].join("\n");
}

/** The verdict block. */
export function formatVerdict(report: ScenarioReport, colour: boolean): string {
  const paint = painter(colour);
  const lines = ["", paint("1", "Expectations")];
  for (const verdict of report.verdicts) {
    lines.push(...wrap(`  ${paint(verdict.ok ? "32" : "31", verdict.ok ? "✔" : "✘")} ${verdict.expectation}${paint("2", ` — ${verdict.detail}`)}`, "    "));
  }
  lines.push("");
  lines.push(report.passed ? paint("1;32", `PASS: every expectation held.`) : paint("1;31", `FAIL: ${report.verdicts.filter((v) => !v.ok).length} expectation(s) did not hold.`));
  lines.push(...wrap(paint("2", `Node at the end: ${report.finalNode}. ${formatDuration(report.durationMs)} of node time took ${(report.wallMs / 1000).toFixed(2)} s.`)));
  return lines.join("\n");
}
