// A hostile or broken API against the real watch cache, over the simulator's HTTPS API server: a
// server that expires every watch (410 Gone), a watch that streams garbage after a good list, a silent
// watch, and the news of a broken watch reaching the API probe. Also: one connection for many /readyz.
import { afterEach, describe, expect, it } from "vitest";
import type { PodsDetail } from "../../src/core/types.js";
import { createApiReadyProbe } from "../../src/probes/api-ready.js";
import { createPodsProbe } from "../../src/probes/pods.js";
import type { Probe } from "../../src/ports.js";
import * as pods from "./fixtures/pods.js";
import { eventually, startSimApi, type SimApi } from "./helpers/sim-api.js";

const clock = { now: () => Date.now() };
const signal = () => AbortSignal.timeout(5_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const eleven = Array.from({ length: 11 }, (_, i) => ({ ...structuredClone(pods.running), metadata: { ...structuredClone(pods.running.metadata), name: `redis-6b8f9c7d5-p${i}`, uid: `uid-p${i}` } }));

let sim: SimApi | null = null;
const probes: Probe<unknown>[] = [];
afterEach(async () => {
  for (const p of probes.splice(0)) await p.close?.();
  await sim?.cleanup();
  sim = null;
});

function podsProbe(s: SimApi, cache: Record<string, unknown> = {}) {
  const probe = createPodsProbe({ client: s.client, clock, namespace: "songnodes", localRegistryPrefix: "localhost:5000/", cache: { backoff: { initialMs: 50, maxMs: 200 }, random: () => 0.5, ...cache } });
  probes.push(probe as Probe<unknown>);
  return probe;
}

const readUntil = <D>(probe: Probe<D>, match: (r: Awaited<ReturnType<Probe<D>["read"]>>) => boolean, what: string, timeoutMs = 10_000) =>
  eventually(async () => {
    const reading = await probe.read(signal());
    return match(reading) ? reading : null;
  }, timeoutMs, what);

describe("a server that answers every watch with 410 Gone", () => {
  it("is re-listed with a growing, jittered pause, at most once a second, and the pods read unknown with the reason", async () => {
    sim = await startSimApi({ pods: eleven });
    await sim.server.setMode("watch-gone");
    const probe = podsProbe(sim);
    const started = Date.now();
    const first = await readUntil(probe, (r) => r.status === "ok", "the first list");
    expect(first.reason).toBe("all 11 pods in songnodes Running and ready");
    const unknown = await readUntil(probe, (r) => r.status === "unknown", "the verdict on a watch that keeps failing");
    expect(unknown.reason).toMatch(
      /^pod list of songnodes cannot be trusted: its watch keeps failing since \d{4}-\d\d-\d\dT[\d:.]+Z \(410 Gone: the server expired the version it was watching from\)$/,
    );
    await sleep(Math.max(0, started + 6_000 - Date.now()));
    const counts = sim.server.requestCounts();
    // Pauses of 0 (held to the 1 s gap), then 0.75 s (held to 1 s), 1.5 s, 3 s: lists at about 0, 1, 2, 3.5 and 6.5 s.
    expect(counts.list).toBeGreaterThanOrEqual(4);
    expect(counts.list).toBeLessThanOrEqual(5);
    expect(counts.watch).toBe(counts.list);
  });

  it("a single 410 after a good watch is re-listed at once, without an unknown in between", async () => {
    sim = await startSimApi({ pods: [pods.running] });
    const probe = podsProbe(sim, { renewSeconds: 1 });
    await readUntil(probe, (r) => r.status === "ok", "the first list");
    const watches = sim.server.requestCounts().watch;
    await sim.server.setMode("watch-gone-once");
    const seen: string[] = [];
    // The watch renews after 1 s and meets the one 410; the server is healthy again right after.
    while (sim.server.requestCounts().watch < watches + 2) {
      seen.push((await probe.read(signal())).status);
      await sleep(20);
    }
    for (let i = 0; i < 30; i++) {
      seen.push((await probe.read(signal())).status);
      await sleep(20);
    }
    expect(seen.filter((s) => s !== "ok")).toEqual([]);
    expect(sim.server.requestCounts().list).toBe(2);
  });
});

describe("a watch that streams garbage after a good list", () => {
  it("counts the dropped lines, re-lists, and reads unknown once it keeps happening", async () => {
    sim = await startSimApi({ pods: [pods.running] });
    await sim.server.setMode("watch-garbage");
    const probe = podsProbe(sim);
    const ok = await readUntil(probe, (r) => r.status === "ok" && (r.detail as PodsDetail | null)?.cache?.droppedLines === 1, "the first dropped line");
    expect(ok.detail?.cache).toMatchObject({ droppedLines: 1 });
    const unknown = await readUntil(probe, (r) => r.status === "unknown", "the verdict on a garbage watch");
    expect(unknown.reason).toMatch(/^pod list of songnodes cannot be trusted: its watch keeps failing since .* \(the stream sent lines that are not watch events\)$/);
    expect(sim.server.requestCounts().list).toBeGreaterThanOrEqual(3);
  });

  it("trusts the watch again once it delivers events", async () => {
    sim = await startSimApi({ pods: [pods.running], bookmarkIntervalMs: 100 });
    await sim.server.setMode("watch-garbage");
    const probe = podsProbe(sim);
    await readUntil(probe, (r) => r.reason.includes("cannot be trusted"), "the failing watch");
    await sim.server.setMode("ok");
    const back = await readUntil(probe, (r) => r.status === "ok", "the recovered watch", 15_000);
    expect(back.reason).toBe("all 1 pods in songnodes Running and ready");
  });
});

describe("how old the cached list is", () => {
  it("bookmarks keep the age small without any re-list", async () => {
    sim = await startSimApi({ pods: [pods.running], bookmarkIntervalMs: 100 });
    const probe = podsProbe(sim, { resyncMs: 500 });
    await readUntil(probe, (r) => r.status === "ok", "the first list");
    await sleep(1_500);
    const reading = await probe.read(signal());
    expect(Date.now() - reading.detail!.cache!.heardAt).toBeLessThan(400);
    expect(reading.detail!.cache!.lists).toBe(1);
    expect(sim.server.requestCounts().list).toBe(1);
  });

  it("a watch that stays silent is re-listed after the resync interval, so its age stays bounded", async () => {
    sim = await startSimApi({ pods: [pods.running], bookmarkIntervalMs: 3_600_000 });
    const probe = podsProbe(sim, { resyncMs: 400 });
    await readUntil(probe, (r) => r.status === "ok", "the first list");
    await sleep(2_000);
    const reading = await probe.read(signal());
    expect(reading.status).toBe("ok");
    expect(sim.server.requestCounts().list).toBeGreaterThanOrEqual(3);
    expect(Date.now() - reading.detail!.cache!.heardAt).toBeLessThan(1_500);
  });
});

describe("a broken watch is news for the API probe", () => {
  it("the API probe's watch wakes the loop when the pod watch breaks, and /readyz then reads bad", async () => {
    sim = await startSimApi({ pods: [pods.running] });
    const pods_ = podsProbe(sim);
    const api = createApiReadyProbe({ client: sim.client });
    const wakes: string[] = [];
    const off = api.watch!((why) => wakes.push(why));
    await readUntil(pods_, (r) => r.status === "ok", "the first list");
    await sim.server.stop();
    const woke = await eventually(() => wakes[0], 5_000, "the API probe's wake-up");
    expect(woke).toMatch(/^pod list of songnodes watch lost: .*: probing the API now$/);
    expect((await api.read(signal())).status).toBe("bad");
    off();
  });
});

describe("one keep-alive connection", () => {
  it("twenty /readyz reads go over one TLS connection, not twenty", async () => {
    sim = await startSimApi();
    const api = createApiReadyProbe({ client: sim.client });
    for (let i = 0; i < 20; i++) expect((await api.read(signal())).status).toBe("ok");
    expect(sim.server.requestCounts().readyz).toBe(20);
    expect(sim.server.connectionCount()).toBe(1);
  });

  it("a server restarted under the kept connection is still read right: refused while down, ok once back", async () => {
    sim = await startSimApi();
    const api = createApiReadyProbe({ client: sim.client });
    expect((await api.read(signal())).status).toBe("ok");
    await sim.server.stop();
    expect((await api.read(signal())).reason).toMatch(/^API not answering: connect ECONNREFUSED/);
    await sim.server.start();
    expect((await api.read(signal())).status).toBe("ok");
  });
});
