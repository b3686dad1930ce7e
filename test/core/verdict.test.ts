// The node's one verdict (src/core/verdict.ts): which verdict, which cause, from the readings and
// the daemon's standing. Every view prints what this returns (test/cli/verdict-agreement.test.ts).
import { describe, expect, it } from "vitest";
import { stampObservations, type Readings } from "../../src/core/observe.js";
import { nodeVerdict } from "../../src/core/verdict.js";
import { T0, k3sCycling, pod, reading, with_ } from "./builders.js";

const verdictOf = (readings: Readings, state: Parameters<typeof nodeVerdict>[1] = null) => nodeVerdict(stampObservations(null, readings, T0), state);
const registryDown = reading("bad", { container: "exited" as const, api: "down" as const }, "the local registry is down");
const pulling = (cause: "registry-down" | "image-missing" | "image-config", localRegistry = true) =>
  pod("rest-api-xyz", { phase: "Pending", display: "ImagePullBackOff", ready: false, pullFailure: { image: "localhost:5000/songnodes_rest-api:latest", cause, localRegistry, message: "refused" } });

describe("the node's verdict", () => {
  it.each([
    ["every probe ok", with_({}), "healthy", "every probe ok"],
    ["the registry down, no pod waiting on it", with_({ registry: registryDown }), "degraded", "the registry is down; no pod is waiting on it"],
    ["the registry down, a pod cannot pull from it", with_({ registry: registryDown }, [pod("postgres-0"), pulling("registry-down")]), "unhealthy", "the registry is down; 1 pod(s) cannot pull from it"],
    ["the registry down, a pod's image missing (not waiting on the registry)", with_({ registry: registryDown }, [pulling("image-missing")]), "unhealthy", "pods are not ready"],
    ["the registry down, a pod with an image or config error (ErrImageNeverPull: not waiting on the registry)", with_({ registry: registryDown }, [pulling("image-config")]), "unhealthy", "pods are not ready"],
    ["the registry down, a pod pulling from another registry", with_({ registry: registryDown }, [pulling("registry-down", false)]), "unhealthy", "pods are not ready"],
    ["k3s cycling through auto-restart", with_({ k3sUnit: k3sCycling() }), "unhealthy", "k3s is not running"],
    ["the API down", with_({ api: reading("bad", { httpStatus: null }, "refused") }), "unhealthy", "the API server is not ready"],
    ["the API cannot be read, nothing bad", with_({ api: reading("unknown", null, "timed out"), nodes: reading("unknown", null, "timed out"), pods: reading("unknown", null, "timed out") }), "unknown", "the api probe cannot tell"],
    ["the k3s log shows corruption, the node serves", with_({ k3sLog: reading("bad", { signature: "bbolt panic", source: "containerd.log" }, "corrupt") }), "degraded", "the k3s log shows damage no restart can fix"],
    ["the registry probe cannot tell, the node serves", with_({ registry: reading("unknown", null, "docker.sock: permission denied") }), "healthy", "the node works; the registry probe cannot tell"],
  ] as const)("%s: %s", (_name, readings, verdict, cause) => {
    expect(verdictOf(readings)).toMatchObject({ verdict, cause });
  });

  it("the daemon's standing follows the cause: gave up, or paused", () => {
    const gaveUp = { phase: "gave-up" as const, gaveUp: { symptom: "k3s-down" as const, at: T0, retryAt: null, why: "spent" } };
    expect(verdictOf(with_({ k3sUnit: k3sCycling() }), gaveUp).cause).toBe("k3s is not running; the daemon gave up and waits for a person or its cooldown");
    expect(verdictOf(with_({}), { phase: "paused", gaveUp: null }).cause).toBe("every probe ok; remedies are paused");
  });

  it("the detail is the probe's own words, the cause has no times or counts (it is a metric label)", () => {
    const v = verdictOf(with_({ registry: registryDown }));
    expect(v.detail).toBe("the local registry is down");
    expect(v.cause).not.toMatch(/\d+[smhd]\b/);
  });
});
