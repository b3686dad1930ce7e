// The pods and nodes probes against the simulator's HTTPS API server with the real client-node:
// list, watch, wake-ups, reconnects on the same port and re-lists after 410 Gone.
import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/sim/kube/store-types.js";
import { createNodesProbe } from "../../src/probes/nodes.js";
import { createPodsProbe } from "../../src/probes/pods.js";
import type { Probe } from "../../src/ports.js";
import * as pods from "./fixtures/pods.js";
import { eventually, readyNode, startSimApi, type SimApi } from "./helpers/sim-api.js";

const clock = { now: () => Date.now() };
const fastCache = { backoff: { initialMs: 50, maxMs: 200 }, graceMs: 0 };
const signal = () => AbortSignal.timeout(5_000);

let sim: SimApi | null = null;
const probes: Probe<unknown>[] = [];
afterEach(async () => {
  for (const p of probes.splice(0)) await p.close?.();
  await sim?.cleanup();
  sim = null;
});

function podsProbe(s: SimApi) {
  const probe = createPodsProbe({ client: s.client, clock, namespace: "songnodes", localRegistryPrefix: "localhost:5000/", cache: fastCache });
  probes.push(probe as Probe<unknown>);
  return probe;
}

const readWhen = <D>(probe: Probe<D>, status: string, what: string) =>
  eventually(async () => {
    const reading = await probe.read(signal());
    return reading.status === status ? reading : null;
  }, 10_000, what);

describe("pods probe over a real watch", () => {
  it("lists the namespace's pods with client-node and reads them as kubectl shows them", async () => {
    sim = await startSimApi({ pods: [pods.running, pods.pullBackOffRefused] });
    const probe = podsProbe(sim);
    const first = await probe.read(signal());
    expect(first.status).toBe("unknown"); // nothing listed yet: never a guess
    const reading = await readWhen(probe, "bad", "the pod list");
    expect(reading.reason).toBe("1 of 2 pods not ready: rest-api-7d9f8b6c4-abcde ImagePullBackOff (registry refused)");
    expect(reading.detail?.pods.map((p) => [p.name, p.display])).toEqual([["redis-6b8f9c7d5-x2k4p", "Running"], ["rest-api-7d9f8b6c4-abcde", "ImagePullBackOff"]]);
  });

  it("a pod change wakes the probe and the next read shows it", async () => {
    sim = await startSimApi({ pods: [pods.pullBackOffRefused] });
    const probe = podsProbe(sim);
    const wakes: string[] = [];
    probe.watch!((why) => wakes.push(why));
    await readWhen(probe, "bad", "the first list");
    const fixed = structuredClone(pods.running) as unknown as KubeObject;
    fixed.metadata = { ...structuredClone(pods.pullBackOffRefused.metadata) };
    sim.store.put("pods", fixed);
    await eventually(() => wakes.find((w) => w === "pod songnodes/rest-api-7d9f8b6c4-abcde modified"), 5_000, "a wake-up");
    expect((await probe.read(signal())).status).toBe("ok");
  });

  it("an idle namespace costs nothing per read: the same reading comes back until a pod changes", async () => {
    sim = await startSimApi({ pods: [pods.running, pods.pullBackOffRefused] });
    const probe = podsProbe(sim);
    const wakes: string[] = [];
    probe.watch!((why) => wakes.push(why));
    const first = await readWhen(probe, "bad", "the first list");
    expect(await probe.read(signal())).toBe(first);
    const fixed = structuredClone(pods.running) as unknown as KubeObject;
    fixed.metadata = { ...structuredClone(pods.pullBackOffRefused.metadata) };
    sim.store.put("pods", fixed);
    await eventually(() => wakes.find((w) => w.endsWith("modified")), 5_000, "a wake-up");
    const after = await probe.read(signal());
    expect(after).not.toBe(first);
    expect(after.status).toBe("ok");
    // the pod that did not change keeps its view object
    expect(after.detail!.pods.find((p) => p.name.startsWith("redis-"))).toBe(first.detail!.pods.find((p) => p.name.startsWith("redis-")));
  });

  it("reads unknown while the API server is stopped and catches up when it listens again on the same port", async () => {
    sim = await startSimApi({ pods: [pods.running] });
    const probe = podsProbe(sim);
    const wakes: string[] = [];
    probe.watch!((why) => wakes.push(why));
    await readWhen(probe, "ok", "the first list");
    await sim.server.stop();
    const stale = await readWhen(probe, "unknown", "staleness");
    expect(wakes.filter((w) => w.startsWith("pod list of songnodes watch lost: "))).toHaveLength(1);
    expect(stale.reason).toMatch(/^pod list of songnodes is stale: watch disconnected since \d{4}-\d\d-\d\dT[\d:.]+Z \(/);
    expect(stale.detail).toBeNull();
    sim.store.put("pods", structuredClone(pods.crashLoop) as unknown as KubeObject);
    await sim.server.start();
    const caughtUp = await readWhen(probe, "bad", "the reconnect");
    expect(caughtUp.reason).toContain("graph-visualization-66f7c9d8b-zx9vb CrashLoopBackOff");
    expect(wakes).toContain("pod list of songnodes watch connected");
  });

  it("an ok reading stands (quiet) while the watch is open and has told of nothing since; a change or a lost watch ends that", async () => {
    sim = await startSimApi({ pods: [pods.running], nodes: [readyNode()] });
    const probe = podsProbe(sim);
    const nodes = createNodesProbe({ client: sim.client, clock, nodeName: "songnodes-node", cache: fastCache });
    probes.push(nodes as Probe<unknown>);
    const wakes: string[] = [];
    probe.watch!((why) => wakes.push(why));
    nodes.watch!((why) => wakes.push(why));
    expect(probe.quiet!()).toBe(false);
    await readWhen(probe, "ok", "the first list");
    await eventually(() => (probe.quiet!() ? true : null), 5_000, "the pods watch open");
    await readWhen(nodes, "ok", "the node list");
    await eventually(async () => (await nodes.read(signal()), nodes.quiet!() ? true : null), 5_000, "the nodes watch open");
    // A pod changes: the reading no longer stands until it is read again.
    sim.store.put("pods", structuredClone(pods.crashLoop) as unknown as KubeObject);
    await eventually(() => wakes.find((w) => w.endsWith("added")), 5_000, "a wake-up");
    expect(probe.quiet!()).toBe(false);
    expect((await probe.read(signal())).status).toBe("bad");
    // A bad reading never stands.
    expect(probe.quiet!()).toBe(false);
    sim.store.remove("pods", "songnodes", "graph-visualization-66f7c9d8b-zx9vb");
    await readWhen(probe, "ok", "the crash-looping pod gone");
    await eventually(() => (probe.quiet!() ? true : null), 5_000, "standing again");
    // The watch is lost: neither reading stands.
    await sim.server.stop();
    await eventually(() => (!probe.quiet!() && !nodes.quiet!() ? true : null), 5_000, "the watches lost");
  });

  it("a re-list (here the resync of a silent watch) is news: it wakes the loop and ends the standing reading", async () => {
    // No bookmark for a minute: the watch is silent, and the cache lists again after 300 ms of it.
    sim = await startSimApi({ pods: [pods.running], bookmarkIntervalMs: 60_000 });
    const probe = createPodsProbe({ client: sim.client, clock, namespace: "songnodes", localRegistryPrefix: "localhost:5000/", cache: { ...fastCache, resyncMs: 300 } });
    probes.push(probe as Probe<unknown>);
    const wakes: string[] = [];
    probe.watch!((why) => wakes.push(why));
    await readWhen(probe, "ok", "the first list");
    await eventually(() => (probe.quiet!() ? true : null), 5_000, "the pods watch open");
    const listedBefore = wakes.filter((why) => why.endsWith("listed again")).length;
    expect(listedBefore).toBe(0);
    await eventually(() => (wakes.some((why) => why.endsWith("listed again")) ? true : null), 5_000, "the resync's re-list");
    // Whatever the re-list found, the reading taken before it no longer stands.
    expect(probe.standsFor!()).toBe(0);
    await probe.read(signal());
    await eventually(() => (probe.standsFor!() === Infinity ? true : null), 5_000, "standing again after a read");
  });

  it("re-lists when the server has compacted past its resourceVersion (410 Gone)", async () => {
    sim = await startSimApi({ pods: [pods.running], historyLimit: 3 });
    const probe = podsProbe(sim);
    await readWhen(probe, "ok", "the first list");
    await sim.server.stop();
    // More changes than the server keeps: resuming from the old version is impossible.
    for (let i = 0; i < 6; i++) sim.store.put("nodes", readyNode(`filler-${i}`) as KubeObject);
    sim.store.put("pods", structuredClone(pods.pullNotFound) as unknown as KubeObject);
    await sim.server.start();
    const relisted = await readWhen(probe, "bad", "the re-list");
    expect(relisted.reason).toContain("frontend-5c7d9f8b6-qwert ErrImagePull");
    expect(relisted.detail?.pods).toHaveLength(2);
  });

  it("a deleted pod leaves the view", async () => {
    sim = await startSimApi({ pods: [pods.running, pods.crashLoop] });
    const probe = podsProbe(sim);
    await readWhen(probe, "bad", "the first list");
    sim.store.remove("pods", "songnodes", pods.crashLoop.metadata.name);
    const reading = await readWhen(probe, "ok", "the deletion");
    expect(reading.detail?.pods.map((p) => p.name)).toEqual([pods.running.metadata.name]);
  });
});

describe("nodes probe over a real watch", () => {
  it("no nodes registered is bad; the node registering wakes the probe and reads ok", async () => {
    sim = await startSimApi();
    const probe = createNodesProbe({ client: sim.client, clock, nodeName: "songnodes-node", cache: fastCache });
    probes.push(probe as Probe<unknown>);
    const wakes: string[] = [];
    probe.watch!((why) => wakes.push(why));
    expect((await readWhen(probe, "bad", "an empty node list")).reason).toBe("no nodes registered");
    sim.store.put("nodes", readyNode() as KubeObject);
    await eventually(() => wakes.includes("node songnodes-node added"), 5_000, "a wake-up");
    expect(await probe.read(signal())).toMatchObject({ status: "ok", reason: "node songnodes-node Ready" });
  });
});
