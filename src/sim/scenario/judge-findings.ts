// Judging the maintenance expectations: which findings were said, at which level, how many times,
// when the first was, and that nothing else at warn or crit was said.
import { formatDuration } from "../../config/duration.js";
import type { SaidFinding } from "./maintenance-hook.js";
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
