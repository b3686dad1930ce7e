// Judging a scenario's expectations from what actually happened: the remedies the node received
// (not what the daemon says it did), the daemon's phases and announcements, and the model's truth.
import { formatDuration } from "../../config/duration.js";
import type { Phase, ProbeName, RemedyKind } from "../../core/types.js";
import type { ActionCall } from "../ports/sim-actions.js";
import type { Expectations } from "./schema.js";
import { judgeCheckRuns, judgeFindings } from "./judge-findings.js";
import type { CheckRun, SaidFinding } from "./maintenance-hook.js";

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
  /** The daemon's phases in the order it entered them (a daemon restart may repeat one). */
  phaseLog?: Phase[];
  /** The announcements' levels, in the order of `announcements`. */
  announcementLevels?: string[];
  /** Maintenance findings said, in order. */
  findings?: SaidFinding[];
  /** Maintenance check runs, in order, with the daemon's phase when each began. */
  checkRuns?: CheckRun[];
  /** Reconcile requests the simulated Flux handled for the HelmRelease. */
  gitopsReconciles?: number;
  /** Each iteration's probe readings (status and reason), in order. */
  readings?: Partial<Record<ProbeName, { status: string; reason: string }>>[];
  /** Each iteration's verdict as every view words it (src/core/verdict.ts), in order. */
  verdicts?: { verdict: string; cause: string; at: number }[];
  /** Remedies that reached the node although no probe that justifies them read bad when the daemon decided. */
  unjustified?: { kind: RemedyKind; at: number; why: string }[];
}

/** One expectation's verdict. */
export interface Verdict {
  expectation: string;
  ok: boolean;
  detail: string;
}

const count = (facts: RunFacts, kind: RemedyKind) => facts.calls.filter((call) => call.kind === kind).length;
const deletedNames = (facts: RunFacts) => facts.calls.filter((call) => call.kind === "delete-pods").flatMap((call) => call.report.touched.map((t) => t.split("/").pop() ?? t));

/** Each pod object the node was asked to delete, by uid, once per request that reached it. */
const deletedObjects = (facts: RunFacts): { uid: string; name: string; at: number }[] =>
  facts.calls.flatMap((call) => {
    if (call.command.kind !== "delete-pods") return [];
    const touched = new Set(call.report.touched);
    return call.command.pods.filter((pod) => touched.has(`${pod.namespace}/${pod.name}`)).map((pod) => ({ uid: pod.uid, name: pod.name, at: call.at }));
  });
const mentioning = (messages: string[], text: string) => messages.filter((message) => message.toLowerCase().includes(text.toLowerCase()));
const at = (facts: RunFacts, ms: number) => `+${formatDuration(ms - facts.start)}`;

/** The most calls of `kind` inside any window of `window` ms: [t, t + window). */
export function busiestWindow(times: number[], window: number): { count: number; from: number | null } {
  const sorted = [...times].sort((a, b) => a - b);
  let best = { count: 0, from: null as number | null };
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= window) lo++;
    if (hi - lo + 1 > best.count) best = { count: hi - lo + 1, from: sorted[lo] as number };
  }
  return best;
}

/** True when `wanted` appears in `seen` in order (other phases may come between). */
function inOrder(seen: Phase[], wanted: Phase[]): { ok: boolean; matched: number } {
  let matched = 0;
  for (const phase of seen) if (matched < wanted.length && phase === wanted[matched]) matched++;
  return { ok: matched === wanted.length, matched };
}

/** Judge every expectation. */
export function judge(expect: Expectations, facts: RunFacts): Verdict[] {
  const verdicts: Verdict[] = [];
  const add = (expectation: string, ok: boolean, detail: string) => verdicts.push({ expectation, ok, detail });
  if (expect.gitopsReconcilesExactly !== undefined) {
    const seen = facts.gitopsReconciles ?? 0;
    add(`exactly ${expect.gitopsReconcilesExactly} GitOps reconcile request(s)`, seen === expect.gitopsReconcilesExactly, `${seen} handled by Flux`);
  }
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
  judgeAdded(expect, facts, add);
  judgeFindings(expect, facts.findings ?? [], facts.start, add);
  judgeCheckRuns(expect, facts.checkRuns ?? [], facts.start, add);
  return verdicts;
}

/** The keys added after the first format; each is independent of the ones above. */
function judgeAdded(expect: Expectations, facts: RunFacts, add: (expectation: string, ok: boolean, detail: string) => void): void {
  for (const [kind, exactly] of Object.entries(expect.actionsExactly ?? {}) as [RemedyKind, number][]) {
    add(`exactly ${exactly} × ${kind}`, count(facts, kind) === exactly, `${count(facts, kind)} run${count(facts, kind) > 0 ? ` (${facts.calls.filter((c) => c.kind === kind).map((c) => at(facts, c.at)).join(", ")})` : ""}`);
  }
  for (const [kind, limit] of Object.entries(expect.maxActionsInWindow ?? {}) as [RemedyKind, { max: number; window: number }][]) {
    const busiest = busiestWindow(facts.calls.filter((c) => c.kind === kind).map((c) => c.at), limit.window);
    add(`at most ${limit.max} × ${kind} in any ${formatDuration(limit.window)}`, busiest.count <= limit.max,
      busiest.from === null ? "none run" : `busiest window: ${busiest.count} from ${at(facts, busiest.from)}`);
  }
  if (expect.noActionBetween !== undefined) {
    const spans = (Array.isArray(expect.noActionBetween[0]) ? expect.noActionBetween : [expect.noActionBetween]) as [number, number][];
    for (const [from, to] of spans) {
      const inside = facts.calls.filter((c) => c.at - facts.start >= from && c.at - facts.start <= to);
      add(`no action between +${formatDuration(from)} and +${formatDuration(to)}`, inside.length === 0,
        inside.length === 0 ? "none" : inside.map((c) => `${c.kind} at ${at(facts, c.at)}`).join(", "));
    }
  }
  const list = (hits: string[]) => (hits.length === 0 ? "none" : hits.map((m) => m.slice(0, 60)).join(" | "));
  for (const [text, max] of Object.entries(expect.announcesAtMost ?? {})) {
    const hits = mentioning(facts.announcements, text);
    add(`announces "${text}" at most ${max} time(s)`, hits.length <= max, `${hits.length} time(s): ${list(hits)}`);
  }
  for (const [text, exactly] of Object.entries(expect.announcesExactly ?? {})) {
    const hits = mentioning(facts.announcements, text);
    add(`announces "${text}" exactly ${exactly} time(s)`, hits.length === exactly, `${hits.length} time(s): ${list(hits)}`);
  }
  const levels = facts.announcementLevels ?? [];
  const errs = facts.announcements.filter((_, i) => levels[i] === "err");
  for (const [text, exactly] of Object.entries(expect.errAnnouncementsExactly ?? {})) {
    const hits = mentioning(errs, text);
    add(`announces "${text}" at err exactly ${exactly} time(s)`, hits.length === exactly, `${hits.length} time(s) at err: ${list(hits)}`);
  }
  for (const text of expect.neverAnnounces ?? []) {
    const hits = mentioning(facts.announcements, text);
    add(`never announces "${text}"`, hits.length === 0, hits.length === 0 ? "never said" : list(hits));
  }
  const phases = facts.phaseLog ?? [];
  if (expect.phasesInOrder !== undefined) {
    const order = inOrder(phases, expect.phasesInOrder);
    add(`phases in order: ${expect.phasesInOrder.join(" → ")}`, order.ok, order.ok ? "seen in order" : `only the first ${order.matched} in order; phases: ${phases.join(" → ")}`);
  }
  for (const phase of expect.neverVisits ?? []) {
    add(`never ${phase}`, !facts.phasesSeen.has(phase), facts.phasesSeen.has(phase) ? `was ${phase}` : "never");
  }
  const objects = deletedObjects(facts);
  for (const [prefix, exactly] of Object.entries(expect.deletionsExactly ?? {})) {
    const uids = new Set(objects.filter((o) => o.name.startsWith(prefix)).map((o) => o.uid));
    add(`deletes exactly ${exactly} pod object(s) ${prefix}*`, uids.size === exactly, `${uids.size}: ${objects.filter((o) => o.name.startsWith(prefix)).map((o) => `${o.name} (${o.uid.slice(0, 8)}) at ${at(facts, o.at)}`).join(", ") || "none"}`);
  }
  if (expect.remediesJustified) {
    const bad = facts.unjustified ?? [];
    add("every remedy justified by a probe that read bad", bad.length === 0,
      bad.length === 0 ? `${facts.calls.length} remedy(ies), each justified` : bad.slice(0, 3).map((u) => `${u.kind} at ${at(facts, u.at)}: ${u.why}`).join("; "));
  }
  for (const want of expect.observes ?? []) {
    const text = want.reason?.toLowerCase();
    const seen = (facts.readings ?? []).map((r) => r[want.probe]).filter((o): o is { status: string; reason: string } => o !== undefined);
    const hit = seen.find((o) => o.status === want.status && (text === undefined || o.reason.toLowerCase().includes(text)));
    const statuses = [...new Set(seen.map((o) => o.status))].join(", ") || "never read";
    add(`reads ${want.probe} ${want.status}${text ? ` "${want.reason}"` : ""}`, hit !== undefined, hit ? hit.reason.slice(0, 160) : `read: ${statuses}`);
  }
  const verdicts = facts.verdicts ?? [];
  const show = (v: { verdict: string; cause: string; at: number } | undefined) => (v ? `${v.verdict}: ${v.cause} at ${at(facts, v.at)}` : "none");
  for (const want of expect.verdictSeen ?? []) {
    const hit = verdicts.find((v) => v.verdict === want.verdict && (want.cause === undefined || v.cause.toLowerCase().includes(want.cause.toLowerCase())));
    const kinds = [...new Set(verdicts.map((v) => `${v.verdict}: ${v.cause}`))].slice(0, 4).join(" | ");
    add(`verdict ${want.verdict}${want.cause ? ` "${want.cause}"` : ""} seen`, hit !== undefined, hit ? show(hit) : `verdicts: ${kinds || "none"}`);
  }
  for (const never of expect.neverVerdict ?? []) {
    const hit = verdicts.find((v) => v.verdict === never.verdict && (never.cause === undefined || v.cause.toLowerCase().includes(never.cause.toLowerCase())));
    add(`verdict never ${never.verdict}${never.cause ? ` "${never.cause}"` : ""}`, hit === undefined, hit ? show(hit) : "never");
  }
  if (expect.verdictNames !== undefined) {
    const name = expect.verdictNames.toLowerCase();
    const others = verdicts.filter((v) => v.verdict !== "healthy");
    const wrong = others.find((v) => !v.cause.toLowerCase().includes(name));
    add(`every verdict other than healthy names "${expect.verdictNames}"`, others.length > 0 && wrong === undefined,
      others.length === 0 ? "never other than healthy" : wrong ? show(wrong) : `${others.length} verdict(s), each naming it`);
  }
  if (expect.deletesEachAtMost !== undefined) {
    const times = new Map<string, { name: string; n: number }>();
    for (const o of objects) times.set(o.uid, { name: o.name, n: (times.get(o.uid)?.n ?? 0) + 1 });
    const worst = [...times.values()].sort((a, b) => b.n - a.n)[0];
    add(`no pod object deleted more than ${expect.deletesEachAtMost} time(s)`, (worst?.n ?? 0) <= expect.deletesEachAtMost,
      worst ? `most: ${worst.name} ${worst.n} time(s)` : "nothing deleted");
  }
}
