// The GitOps-sync check and its remedy. Reporting is always on. With `flux.reconcile: true` it also
// requests a reconcile the way `flux reconcile` does (a merge patch setting the
// reconcile.fluxcd.io/requestedAt annotation on the GitRepository, then on the HelmRelease) after a
// recovery, or once the release has been not Ready past `flux.holdOff`; within its own budget, and
// recorded in the journal's actions table like every remedy. Flux not installed: said once, then quiet.
import type { Config } from "../config/schema.js";
import type { RemedyKind } from "../core/types.js";
import type { Clock } from "../ports.js";
import { resultOf, type CheckResult, type RemedyJournal, type RunbookCheck } from "../runbook-checks/check-result.js";
import { failedList, RESOURCES, type RunbookKube } from "../runbook-checks/kube-objects.js";
import { judgeFlux, viewFlux } from "./flux-status.js";


export const FLUX_RECONCILE = "flux-reconcile";
// The actions table's kind column is text; the core's budgets count only the kinds they know.
const KIND = FLUX_RECONCILE as unknown as RemedyKind;

export interface FluxCheckDeps {
  kube: RunbookKube;
  flux: Config["flux"];
  clock: Clock;
  dryRun: boolean;
}

/** The check, with `attach` for the journal and `afterRecovery` for the runner. */
export interface FluxCheck extends RunbookCheck {
  attach(journal: RemedyJournal): void;
  afterRecovery(): void;
}


/** Build the check `gitops`. */
export function createFluxCheck(deps: FluxCheckDeps): FluxCheck {
  const { flux } = deps;
  const names = { namespace: flux.namespace, release: flux.release, source: flux.source };
  let journal: RemedyJournal | null = null;
  let recovered = false;
  let lastRequestFor: string | null = null;

  const reconcile = async (why: string, signal: AbortSignal): Promise<string> => {
    const now = deps.clock.now();
    const used = journal ? journal.actionStamps(now - flux.budget.window).filter((a) => (a.kind as string) === FLUX_RECONCILE).length : 0;
    if (used >= flux.budget.max) return `; reconcile not requested: budget spent (${used} of ${flux.budget.max} within the window)`;
    const id = journal?.planAction(KIND, why, now, deps.dryRun) ?? null;
    if (deps.dryRun) return "; dry-run: would request a reconcile";
    if (id !== null) journal?.startAction(id, deps.clock.now());
    // The flux CLI's own annotation: any new value makes the controllers reconcile now.
    const patch = { metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": new Date(deps.clock.now()).toISOString() } } };
    const source = await deps.kube.mergePatch(RESOURCES.gitRepositories, flux.namespace, flux.source, patch, signal);
    const release = source === null ? await deps.kube.mergePatch(RESOURCES.helmReleases, flux.namespace, flux.release, patch, signal) : null;
    const error = source ?? release;
    const touched = error === null ? [`${flux.namespace}/gitrepository/${flux.source}`, `${flux.namespace}/helmrelease/${flux.release}`] : [];
    const detail = error === null ? `reconcile requested for GitRepository ${flux.source} and HelmRelease ${flux.release}` : `reconcile request failed: ${error}`;
    if (id !== null) journal?.finishAction(id, deps.clock.now(), error === null, detail, touched);
    return `; ${detail}`;
  };

  return {
    name: "gitops",
    attach: (j) => void (journal = j),
    afterRecovery: () => void (recovered = true),
    async run(signal): Promise<CheckResult> {
      const [sources, releases] = await Promise.all([deps.kube.list(RESOURCES.gitRepositories, flux.namespace, signal), deps.kube.list(RESOURCES.helmReleases, flux.namespace, signal)]);
      if (failedList(sources) || failedList(releases)) {
        const failure = failedList(sources) ? sources : (releases as { error: string; notFound: boolean });
        if (!failure.notFound) return { level: "unknown", reason: `cannot read Flux's objects: ${failure.error}`, next: null, findings: [] };
        // No CRDs: one finding that never changes, so it is said once and then stays quiet.
        return { level: "unknown", reason: "Flux is not installed", next: null, findings: [{ key: "flux:absent", level: "unknown", text: "Flux is not installed (its CRDs are absent): GitOps sync is not checked", next: "flux check" }] };
      }
      const release = releases.items.find((o) => o.metadata?.name === flux.release);
      if (!release) return resultOf([{ key: "flux:no-release", level: "warn", text: `no HelmRelease ${flux.release} in ${flux.namespace}`, next: `flux get helmreleases -n ${flux.namespace}` }], "");
      const view = viewFlux(release, sources.items.find((o) => o.metadata?.name === flux.source));
      const now = deps.clock.now();
      const findings = judgeFlux(view, names, now, flux.holdOff);
      const releaseFinding = findings.find((f) => f.key.startsWith("flux:release:"));
      let note = "";
      // One request per not-Ready episode, and one after each recovery.
      const episode = releaseFinding?.key ?? null;
      const due = (episode !== null && episode !== lastRequestFor) || recovered;
      if (flux.reconcile && due) {
        note = await reconcile(recovered ? "the node recovered: pick up GitOps state now" : `HelmRelease ${flux.release} not Ready past flux.holdOff`, signal);
        if (episode !== null) lastRequestFor = episode;
      }
      recovered = false;
      const result = resultOf(findings, `HelmRelease ${flux.namespace}/${flux.release} Ready, revision ${view.applied ?? "unknown"}`);
      return { ...result, reason: result.reason + note };
    },
  };
}
