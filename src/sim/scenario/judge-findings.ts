// Judging the maintenance expectations: which findings were said, at which level, how many times,
// when the first was, and that nothing else at warn or crit was said; how often a check ran, and
// that a check meant for a healthy node never began while the daemon saw it otherwise.
import { formatDuration } from "../../config/duration.js";
import type { CheckRun, SaidFinding } from "./maintenance-hook.js";
import type { Expectations } from "./schema.js";

/** Add a verdict per maintenance expectation. */
export function judgeFindings(expect: Expectations, findings: readonly SaidFinding[], start: number, add: (expectation: string, ok: boolean, detail: string) => void): void {
  const wanted = expect.findingsExactly ?? [];
  const matches = (w: (typeof wanted)[number], f: SaidFinding) => f.check === w.check && f.level === w.level && f.text.toLowerCase().includes(w.text.toLowerCase());
  const show = (list: readonly SaidFinding[]) => list.map((f) => `${f.check} ${f.level} at +${formatDuration(f.at - start)}: ${f.text}`).join(" | ") || "none";
  for (const w of wanted) {
    const seen = findings.filter((f) => matches(w, f));
    add(`says ${w.check} ${w.level} "${w.text}" exactly ${w.times} time(s)`, seen.length === w.times, `${seen.length}: ${show(seen)}`);
    if (w.between) {
      const [from, to] = w.between;
      const first = seen[0];
      add(`first ${w.check} ${w.level} "${w.text}" between +${formatDuration(from)} and +${formatDuration(to)}`,
        first !== undefined && first.at - start >= from && first.at - start <= to, first ? `at +${formatDuration(first.at - start)}` : "never said");
    }
  }
  if (expect.noOtherFindings) {
    const others = findings.filter((f) => f.level !== "unknown" && !wanted.some((w) => matches(w, f)));
    add("no other warn or crit maintenance finding", others.length === 0, show(others));
  }
}

/** Add a verdict per expectation on the maintenance checks' runs. */
export function judgeCheckRuns(expect: Expectations, runs: readonly CheckRun[], start: number, add: (expectation: string, ok: boolean, detail: string) => void): void {
  const show = (list: readonly CheckRun[]) => list.map((r) => `${r.check} at +${formatDuration(r.at - start)} (${r.why}; ${r.level}; daemon ${r.phase ?? "not yet iterated"})`).join(" | ") || "none";
  for (const w of expect.checkRunsExactly ?? []) {
    const seen = runs.filter((r) => r.check === w.check && (w.why === undefined || r.why.toLowerCase().includes(w.why.toLowerCase()))
      && (w.between === undefined || (r.at - start >= w.between[0] && r.at - start <= w.between[1])));
    const span = w.between ? ` between +${formatDuration(w.between[0])} and +${formatDuration(w.between[1])}` : "";
    add(`${w.check} runs${w.why ? ` "${w.why}"` : ""}${span} exactly ${w.times} time(s)`, seen.length === w.times, `${seen.length}: ${show(seen)}`);
  }
  for (const check of expect.checkRunsOnlyWhenHealthy ?? []) {
    const outside = runs.filter((r) => r.check === check && r.phase !== "healthy");
    add(`${check} never runs while the daemon does not see the node healthy`, outside.length === 0, outside.length === 0 ? `${runs.filter((r) => r.check === check).length} run(s), all while healthy` : show(outside));
  }
}
