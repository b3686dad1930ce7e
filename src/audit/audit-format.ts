// The audit for a person (one line per workload and rule, 80 columns, long details wrapped under
// themselves) and for a program (--json, the full field paths).
import type { AuditLine } from "./audit-rules.js";

const WIDTH = 80;

/** Wrap `text` at spaces and commas to `width`; a word longer than the width is cut. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/(?<=,) | /)) {
    const next = line === "" ? word : `${line} ${word}`;
    if (next.length <= width) line = next;
    else {
      if (line !== "") out.push(line);
      line = word;
      while (line.length > width) {
        out.push(line.slice(0, width));
        line = line.slice(width);
      }
    }
  }
  if (line !== "") out.push(line);
  return out;
}

/** The text report: a header, one entry per workload and rule, a summary; at most 80 columns. */
export function formatAudit(namespace: string, lines: AuditLine[]): string {
  const shortDetail = (detail: string) => detail.replace(/spec\.(jobTemplate\.spec\.)?template\.spec\./g, "");
  const nameWidth = Math.min(32, Math.max(8, ...lines.map((l) => l.workload.length)));
  const ruleWidth = 14;
  const room = WIDTH - (5 + nameWidth + 1 + ruleWidth + 1);
  const out = [`Resilience checklist for namespace ${namespace}`];
  for (const line of lines) {
    const head = `${line.ok ? "ok  " : "warn"} ${line.workload.padEnd(nameWidth).slice(0, nameWidth)} ${line.rule.padEnd(ruleWidth)} `;
    const detail = shortDetail(line.detail);
    // An ok line keeps to one line; a warning gets the whole field to change, wrapped below it.
    if (detail.length <= room) out.push(`${head}${detail}`);
    // Lines are fitted by bytes (as awk counts them), and the ellipsis takes three.
    else if (line.ok) out.push(`${head}${detail.slice(0, room - 3)}…`);
    else out.push(head.trimEnd(), ...wrap(detail, WIDTH - 7).map((part) => `       ${part}`));
  }
  const warned = lines.filter((l) => !l.ok).length;
  out.push(warned === 0 ? `all ${lines.length} checks ok` : `${warned} of ${lines.length} checks warn: change the fields named above`);
  return `${out.join("\n")}\n`;
}

/** The JSON report. */
export function auditJson(namespace: string, lines: AuditLine[]): object {
  return { namespace, ok: lines.every((l) => l.ok), warnings: lines.filter((l) => !l.ok).length, lines };
}
