// Judging a scenario's expectations from what actually happened: the remedies the node received
// (not what the daemon says it did), the daemon's phases and announcements, and the model's truth.
import { formatDuration } from "../../config/duration.js";
import type { Phase, RemedyKind } from "../../core/types.js";
import type { ActionCall } from "../ports/sim-actions.js";
import type { Expectations } from "./schema.js";

/** What the runner saw, for the judge. */
export interface RunFacts {
  calls: ActionCall[];
  start: number;
  /** Node time (ms since start) when the daemon said healthy and the node was; null if never. */
  firstHealthy: number | null;
  finalPhase: Phase;
  finalNodeHealthy: boolean;
  finalSummary: string;
  phasesSeen: Set<Phase>;
  announcements: string[];
  /** Remedies the daemon decided on (whether or not they ran), with the pods of delete-pods. */
  decided: { kind: RemedyKind; pods: string[] }[];
}

/** One expectation's verdict. */
export interface Verdict {
  expectation: string;
  ok: boolean;
  detail: string;
}

const count = (facts: RunFacts, kind: RemedyKind) => facts.calls.filter((call) => call.kind === kind).length;
const deletedNames = (facts: RunFacts) => facts.calls.filter((call) => call.kind === "delete-pods").flatMap((call) => call.report.touched.map((t) => t.split("/").pop() ?? t));

/** Judge every expectation. */
export function judge(expect: Expectations, facts: RunFacts): Verdict[] {
  const verdicts: Verdict[] = [];
  const add = (expectation: string, ok: boolean, detail: string) => verdicts.push({ expectation, ok, detail });
  if (expect.healthyBy !== undefined) {
    const by = expect.healthyBy;
    add(`healthy by +${formatDuration(by)}`, facts.firstHealthy !== null && facts.firstHealthy <= by,
      facts.firstHealthy === null ? `never healthy (daemon ends ${facts.finalPhase}; node: ${facts.finalSummary})` : `healthy at +${formatDuration(facts.firstHealthy)}`);
  }
  if (expect.endsIn !== undefined) {
    const ok = facts.finalPhase === expect.endsIn && (expect.endsIn !== "healthy" || facts.finalNodeHealthy);
    add(`ends in ${expect.endsIn}`, ok, `ends in ${facts.finalPhase}${expect.endsIn === "healthy" ? `; node: ${facts.finalSummary}` : ""}`);
  }
  for (const phase of expect.visits ?? []) add(`passes through ${phase}`, facts.phasesSeen.has(phase), facts.phasesSeen.has(phase) ? "seen" : `phases seen: ${[...facts.phasesSeen].join(", ")}`);
  for (const [kind, max] of Object.entries(expect.maxActions ?? {}) as [RemedyKind, number][]) {
    add(`at most ${max} × ${kind}`, count(facts, kind) <= max, `${count(facts, kind)} run`);
  }
  for (const [kind, min] of Object.entries(expect.minActions ?? {}) as [RemedyKind, number][]) {
    add(`at least ${min} × ${kind}`, count(facts, kind) >= min, `${count(facts, kind)} run`);
  }
  if (expect.noActionBefore !== undefined) {
    const early = facts.calls.find((call) => call.at - facts.start < (expect.noActionBefore as number));
    add(`no action before +${formatDuration(expect.noActionBefore)}`, early === undefined, early ? `${early.kind} at +${formatDuration(early.at - facts.start)}` : `first action ${facts.calls[0] ? `at +${formatDuration(facts.calls[0].at - facts.start)}` : "never"}`);
  }
  if (expect.noActions) {
    add("no action taken on the node", facts.calls.length === 0, facts.calls.length === 0 ? "none" : facts.calls.map((c) => c.kind).join(", "));
  }
  for (const text of expect.announces ?? []) {
    const found = facts.announcements.find((message) => message.toLowerCase().includes(text.toLowerCase()));
    add(`announces "${text}"`, found !== undefined, found ?? `announcements: ${facts.announcements.length === 0 ? "none" : facts.announcements.map((m) => m.slice(0, 60)).join(" | ")}`);
  }
  for (const kind of expect.plannedActions ?? []) {
    const planned = facts.decided.filter((d) => d.kind === kind).length;
    add(`decides on ${kind}`, planned > 0, `${planned} time(s)`);
  }
  const deleted = deletedNames(facts);
  for (const prefix of expect.deletes ?? []) {
    const hits = deleted.filter((name) => name.startsWith(prefix));
    add(`deletes ${prefix}*`, hits.length > 0, hits.length > 0 ? hits.join(", ") : `deleted: ${deleted.join(", ") || "nothing"}`);
  }
  for (const prefix of expect.neverDeletes ?? []) {
    const hits = deleted.filter((name) => name.startsWith(prefix));
    add(`never deletes ${prefix}*`, hits.length === 0, hits.length === 0 ? "untouched" : hits.join(", "));
  }
  return verdicts;
}
