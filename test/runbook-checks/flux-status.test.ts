// Runbook "Check GitOps Sync": the HelmRelease's Ready condition, how long, and its revisions.
import { describe, expect, it } from "vitest";
import { inSync, judgeFlux, viewFlux } from "../../src/flux/flux-status.js";

const T0 = Date.parse("2026-11-26T02:00:00Z");
const names = { namespace: "flux-system", release: "songnodes", source: "songnodes" };
const release = (status: string, message: string, applied = "0.1.14+7c1e0a9d5b3f") => ({
  metadata: { name: "songnodes" },
  status: { conditions: [{ type: "Ready", status, reason: status === "True" ? "UpgradeSucceeded" : "UpgradeFailed", message, lastTransitionTime: new Date(T0).toISOString() }], lastAppliedRevision: applied },
});
const source = (sha: string) => ({ metadata: { name: "songnodes" }, status: { artifact: { revision: `main@sha1:${sha}` }, conditions: [{ type: "Ready", status: "True" }] } });
const OLD = "7c1e0a9d5b3f2e8a4c6d0b1f9e7a5c3d2b4f6a8e";
const NEW = "b2d4f6a8c0e1d3f5a7b9c1e3d5f7a9b1c3e5d7f9";
const HOLD = 10 * 60_000;

describe("GitOps sync", () => {
  it.each([
    ["Ready and in sync", release("True", "Helm upgrade succeeded"), source(OLD), T0 + HOLD * 3, []],
    ["not Ready for 9 minutes: within the hold-off", release("False", "upgrade retries exhausted"), source(NEW), T0 + 9 * 60_000, []],
    ["upgrade retries exhausted past the hold-off: crit (Flux stops retrying)", release("False", "upgrade retries exhausted"), source(NEW), T0 + HOLD, ["crit"]],
    ["install retries exhausted past the hold-off: crit", release("False", "install retries exhausted"), source(OLD), T0 + HOLD, ["crit"]],
    ["progressing past the hold-off: warn", release("Unknown", "Reconciliation in progress"), source(OLD), T0 + HOLD, ["warn"]],
  ])("%s", (_what, hr, repo, now, levels) => {
    expect(judgeFlux(viewFlux(hr, repo), names, now, HOLD).map((f) => f.level)).toEqual(levels);
  });

  it("names the reason, how long, and the applied revision against the source's", () => {
    const [finding] = judgeFlux(viewFlux(release("False", "upgrade retries exhausted"), source(NEW)), names, T0 + 12 * 60_000, HOLD);
    expect(finding).toEqual({
      key: `flux:release:${T0}`, level: "crit",
      text: `HelmRelease flux-system/songnodes not Ready for 12 min: UpgradeFailed: upgrade retries exhausted; applied 0.1.14+7c1e0a9d5b3f, source at main@sha1:${NEW}`,
      next: "flux reconcile helmrelease songnodes -n flux-system --with-source",
    });
  });

  it("the applied chart version carries the commit (reconcileStrategy Revision): in sync when it is the source's", () => {
    expect(inSync(viewFlux(release("True", ""), source(OLD)))).toBe(true);
    expect(inSync(viewFlux(release("True", ""), source(NEW)))).toBe(false);
    expect(inSync(viewFlux({ metadata: {}, status: {} }, undefined))).toBeNull();
  });
});
