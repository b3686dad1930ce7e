// Runbook "Check GitOps Sync" (`flux get helmreleases -n flux-system`): the HelmRelease's Ready
// condition, its reason and how long, and the revision it last applied against the source's
// artifact. Pure: the objects come in as the API returns them.
import { toEpochMs } from "../kube/pod-json.js";
import type { Finding } from "../runbook-checks/check-result.js";
import type { ApiObject } from "../runbook-checks/kube-objects.js";

/** What the GitOps objects say. */
export interface FluxView {
  releaseReady: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  /** When the Ready condition last changed; null when the object has none. */
  since: number | null;
  applied: string | null;
  sourceRevision: string | null;
  sourceReady: "True" | "False" | "Unknown";
  sourceMessage: string;
}

const readyOf = (o: ApiObject | undefined) => ((o?.status?.conditions ?? []) as ApiObject[]).find((c) => c?.type === "Ready");
const tri = (v: unknown): FluxView["releaseReady"] => (v === "True" || v === "False" ? v : "Unknown");

/** Read the release and its source. */
export function viewFlux(release: ApiObject, source: ApiObject | undefined): FluxView {
  const ready = readyOf(release);
  const sourceReady = readyOf(source);
  return {
    releaseReady: tri(ready?.status), reason: String(ready?.reason ?? ""), message: String(ready?.message ?? ""),
    since: toEpochMs(ready?.lastTransitionTime),
    applied: typeof release.status?.lastAppliedRevision === "string" ? release.status.lastAppliedRevision : null,
    sourceRevision: typeof source?.status?.artifact?.revision === "string" ? source.status.artifact.revision : null,
    sourceReady: tri(sourceReady?.status), sourceMessage: String(sourceReady?.message ?? ""),
  };
}

/**
 * Whether the applied revision is the source's. With the chart's reconcileStrategy Revision, Flux
 * writes the chart version with the commit appended ("0.1.14+7c1e0a9d5b3f"); the source's artifact
 * is "main@sha1:<40 hex>". Null when either is unknown.
 */
export function inSync(view: FluxView): boolean | null {
  if (view.applied === null || view.sourceRevision === null) return null;
  const sha = /sha1:([0-9a-f]{12})/.exec(view.sourceRevision)?.[1] ?? view.sourceRevision;
  return view.applied.includes(sha);
}

/** Findings once the release has been not Ready past `holdOffMs`; "retries exhausted" is crit (Flux stops retrying). */
export function judgeFlux(view: FluxView, names: { namespace: string; release: string; source: string }, now: number, holdOffMs: number): Finding[] {
  const findings: Finding[] = [];
  const age = view.since === null ? null : now - view.since;
  if (view.releaseReady !== "True" && (age === null || age >= holdOffMs)) {
    const exhausted = /retries exhausted/i.test(view.message);
    const behind = inSync(view) === false ? `; applied ${view.applied}, source at ${view.sourceRevision}` : "";
    findings.push({
      key: `flux:release:${view.since ?? "unknown"}`,
      level: exhausted ? "crit" : "warn",
      text: `HelmRelease ${names.namespace}/${names.release} not Ready${age !== null ? ` for ${Math.floor(age / 60_000)} min` : ""}: ${view.reason || "no reason"}: ${view.message || "no message"}${behind}`,
      next: `flux reconcile helmrelease ${names.release} -n ${names.namespace} --with-source`,
    });
  }
  if (view.sourceReady === "False") {
    findings.push({ key: "flux:source", level: "warn", text: `GitRepository ${names.namespace}/${names.source} not Ready: ${view.sourceMessage}`, next: `flux reconcile source git ${names.source} -n ${names.namespace}` });
  }
  return findings;
}
