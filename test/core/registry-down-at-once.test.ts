// The registry down for sure (GET /v2/ refused, its container exited) while a pod is refused pulling
// from it: restarted at once, not after the pull hold-off; the pods refused meanwhile are deleted in
// one batch once it answers. Anything less than that proof keeps the hold-off.
import { describe, expect, it } from "vitest";
import type { PodView, RegistryDetail } from "../../src/core/types.js";
import { FakeNode } from "./harness.js";
import { T0, healthy, min, nodeNotReady, pod, reading, sec, with_ } from "./builders.js";

const refused = (name: string, over: Partial<PodView> = {}): PodView =>
  pod(name, {
    phase: "Pending", display: "ErrImagePull", ready: false,
    waiting: { container: "app", reason: "ErrImagePull", message: "connection refused" },
    pullFailure: { image: `localhost:5000/songnodes_${name}:latest`, cause: "registry-down", localRegistry: true, message: "dial tcp 127.0.0.1:5000: connect: connection refused" },
    ...over,
  });
const registry = (status: "bad" | "unknown", detail: RegistryDetail) => ({ registry: reading(status, detail, `registry ${detail.container}, /v2/ ${detail.api}`) });
const downForSure = registry("bad", { container: "exited", api: "down" });
const kinds = (node: FakeNode) => node.remedies().map((e) => e.command.kind);
const deleted = (node: FakeNode) => node.remedies("delete-pods").map((e) => (e.command.kind === "delete-pods" ? e.command.pods.map((p) => p.name) : []));

describe("a registry down for sure while a pod is refused pulling from it", () => {
  it("is restarted at the first step that sees the refused pull, not after the 2-minute pull hold-off", () => {
    const node = new FakeNode(T0);
    node.tick(T0, with_(downForSure, [refused("rest-api")]));
    expect(node.remedies().map((e) => [e.at, e.command.kind])).toEqual([[T0, "restart-registry"]]);
  });

  it("the pods refused before the restart are deleted together, in one batch, at the first step the registry answers", () => {
    const node = new FakeNode(T0);
    node.tick(T0, with_(downForSure, [refused("rest-api")]));
    node.tick(T0 + sec(2), with_(downForSure, [refused("rest-api"), refused("frontend")]));
    node.tick(T0 + sec(4), with_(registry("bad", { container: "running", api: "down" }), [refused("rest-api"), refused("frontend")]));
    expect(kinds(node)).toEqual(["restart-registry"]);
    node.tick(T0 + sec(6), healthy([refused("rest-api"), refused("frontend")]));
    expect(kinds(node)).toEqual(["restart-registry", "delete-pods"]);
    expect(deleted(node)).toEqual([["rest-api", "frontend"]]);
    node.run(T0 + sec(10), T0 + min(10), () => healthy([pod("rest-api"), pod("frontend")]));
    expect(kinds(node)).toEqual(["restart-registry", "delete-pods"]);
  });

  it("a pod refused while the registry was restarting (container running, /v2/ refused) waits its hold-off: the kubelet retries it by itself", () => {
    const node = new FakeNode(T0);
    const starting = registry("bad", { container: "running", api: "down" });
    node.run(T0, T0 + min(1) + sec(55), () => with_(starting, [refused("rest-api")]));
    expect(kinds(node)).toEqual([]);
    node.tick(T0 + min(2), with_(starting, [refused("rest-api")]));
    expect(kinds(node)).toEqual(["restart-registry"]);
  });

  it("a pod refused during a blip, with the registry answering again, is deleted only after its hold-off", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(1) + sec(55), () => healthy([refused("rest-api")]));
    expect(kinds(node)).toEqual([]);
    node.tick(T0 + min(2), healthy([refused("rest-api")]));
    expect(deleted(node)).toEqual([["rest-api"]]);
  });

  it("a registry the daemon cannot judge (unknown) is never restarted, whatever the pods say", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(20), () => with_(registry("unknown", { container: "unknown", api: "unknown" }), [refused("rest-api")]));
    expect(kinds(node)).toEqual([]);
  });

  it("a registry container Docker does not have is not proof: the pull hold-off still runs", () => {
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(1) + sec(55), () => with_(registry("bad", { container: "missing", api: "down" }), [refused("rest-api")]));
    expect(kinds(node)).toEqual([]);
  });

  it("a Job's pod refused pulling keeps the hold-off and is never deleted", () => {
    const job = refused("postgres-backup-29000000-abcde", { owner: { kind: "Job", name: "postgres-backup-29000000" } });
    const node = new FakeNode(T0);
    node.run(T0, T0 + min(1) + sec(55), () => with_(downForSure, [job]));
    expect(kinds(node)).toEqual([]);
    node.run(T0 + min(2), T0 + min(10), (t) => (t < T0 + min(2) + sec(10) ? with_(downForSure, [job]) : healthy([job])));
    expect(kinds(node)).toEqual(["restart-registry"]);
  });

  it("the batch waits while the node is NotReady, and goes once it is Ready", () => {
    const node = new FakeNode(T0);
    node.tick(T0, with_(downForSure, [refused("rest-api")]));
    node.run(T0 + sec(5), T0 + sec(30), () => with_({ nodes: nodeNotReady() }, [refused("rest-api")]));
    expect(kinds(node)).toEqual(["restart-registry"]);
    node.tick(T0 + sec(35), healthy([refused("rest-api")]));
    expect(deleted(node)).toEqual([["rest-api"]]);
  });
});
