// `check`'s output: a table like the runbook's quick health check (probes, nodes, pods with the
// daemon's verdict on each), or JSON with the same judgement for machines.
import type { Config } from "../../config/schema.js";
import { formatDuration } from "../../config/duration.js";
import type { Judgement } from "../../core/judge.js";
import { PROBE_NAMES, type CacheHealth, type PodView } from "../../core/types.js";
import { nodeVerdict, verdictLine } from "../../core/verdict.js";
import { cacheAgeText, cacheHeardAt } from "../../kube/cache-age.js";
import { createPaint } from "./colour.js";
import { table, wrap } from "./wrap.js";

/** What `check --json` prints: every probe, node and pod, why, and the remedy the daemon would choose. */
export function checkReportJson(config: Config, judgement: Judgement) {
  const { observations: obs } = judgement;
  const deletion = new Map(judgement.podDeletions.map((d) => [d.uid, d]));
  const overall = nodeVerdict(obs);
  return {
    verdict: overall.verdict,
    cause: overall.cause,
    detail: overall.detail,
    namespace: config.namespace,
    probes: Object.fromEntries(PROBE_NAMES.map((name) => [name, { status: obs[name].status, reason: obs[name].reason, detail: name === "pods" || name === "nodes" ? undefined : obs[name].detail, ...listAge(obs[name].detail) }])),
    symptoms: judgement.symptoms,
    remedy: judgement.remedy,
    nodes: obs.nodes.detail?.nodes ?? [],
    pods: (obs.pods.detail?.pods ?? []).map((pod) => ({ ...pod, remedy: podRemedy(deletion.get(pod.uid)) })),
    reports: judgement.reports.map((r) => ({ level: r.level, message: r.message })),
  };
}

/** The watched lists' age as of the check: when the API last confirmed them. */
function listAge(detail: unknown): { heardAt?: number } {
  const at = cacheHeardAt(detail as { cache?: CacheHealth } | null);
  return at === null ? {} : { heardAt: at };
}

function podRemedy(d: { force: boolean; why: string } | undefined) {
  return d === undefined ? null : { action: d.force ? "force-delete" : "delete", why: d.why, note: "after the hold-off, if the condition lasts" };
}

/** The human table. */
export function formatCheckReport(config: Config, judgement: Judgement, now: number, colour: boolean): string {
  const paint = createPaint(colour);
  const { observations: obs } = judgement;
  const mark = (status: string) => (status === "ok" ? paint.green("ok") : status === "bad" ? paint.red("bad") : paint.yellow("unknown"));
  const lines: string[] = [];
  const overall = nodeVerdict(obs);
  const verdictPaint = overall.verdict === "healthy" ? paint.green : overall.verdict === "unhealthy" ? paint.red : paint.yellow;
  lines.push(...wrap(`${paint.bold("check")}: ${verdictPaint(verdictLine(overall))}`, "  "));
  if (overall.detail) lines.push(...wrap(`  why: ${overall.detail}`, "       "));
  lines.push("");
  lines.push(...table(["PROBE", "STATUS", "WHY"], PROBE_NAMES.map((name) => {
    const age = cacheAgeText(cacheHeardAt(obs[name].detail as { cache?: CacheHealth } | null), now);
    return [name, mark(obs[name].status), age ? `${obs[name].reason} (${age})` : obs[name].reason];
  })));
  const nodes = obs.nodes.detail?.nodes ?? [];
  if (nodes.length > 0) lines.push("", ...table(["NODE", "READY", "WHY"], nodes.map((n) => [n.name, n.ready, n.message || n.reason])));
  const pods = obs.pods.detail?.pods ?? [];
  if (pods.length > 0) {
    const deletion = new Map(judgement.podDeletions.map((d) => [d.uid, d]));
    lines.push("", `pods in ${config.namespace}:`);
    lines.push(...table(["NAME", "STATUS", "RESTARTS", "AGE", "DAEMON WOULD"], pods.map((p) => [p.name, p.display, String(p.restarts), age(p, now), podVerdict(p, deletion.get(p.uid))]), undefined, "  ", 0));
  }
  if (judgement.symptoms.length > 0) {
    lines.push("", "symptoms:");
    for (const s of judgement.symptoms) lines.push(...wrap(`  ${paint.red(s.symptom)}: ${s.why}${s.remedy ? ` → ${paint.bold(s.remedy)} once its hold-off has passed` : ""}`, "    "));
  }
  for (const report of judgement.reports) lines.push(...wrap(`  ${report.level === "err" ? paint.red("!") : paint.yellow("!")} ${report.message}`, "    "));
  lines.push("", ...wrap(paint.dim("check acts on nothing; the daemon (run) takes remedies only after their hold-offs."), ""));
  return `${lines.join("\n")}\n`;
}

function podVerdict(pod: PodView, deletion: { force: boolean } | undefined): string {
  if (deletion !== undefined) return deletion.force ? "force-delete" : "delete";
  if (pod.owner?.kind === "Job" && (pod.phase === "Failed" || pod.unknown !== null)) return "leave (Job-owned)";
  if (pod.waiting?.reason === "CrashLoopBackOff") return "report only";
  return "-";
}

function age(pod: PodView, now: number): string {
  return pod.createdAt === null ? "?" : formatDuration(Math.max(0, now - pod.createdAt));
}
