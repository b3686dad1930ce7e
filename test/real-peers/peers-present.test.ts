// The real-peer gate: in CI a missing binary fails (naming its package), elsewhere it skips.
import { describe, expect, it } from "vitest";
import { peerGate } from "./lib/peers-present.js";

const without = (...absent: string[]) => (path: string) => !absent.includes(path);

describe("the real-peer gate", () => {
  it("runs when every binary is installed, in CI or not", () => {
    expect(peerGate(["dockerd", "registry"], { CI: "true" }, without())).toEqual({ kind: "run" });
    expect(peerGate(["dockerd", "registry"], {}, without())).toEqual({ kind: "run" });
  });

  it("fails in CI when a binary is missing, naming the path and the package", () => {
    expect(peerGate(["dockerd", "docker", "registry"], { CI: "true" }, without("/usr/bin/docker-registry"))).toEqual({
      kind: "fail",
      reason: "/usr/bin/docker-registry not installed (apt-get install docker-registry): CI=true must run the real-peer tests, not skip them",
    });
    expect(peerGate(["containerd", "ctr"], { CI: "1" }, without("/usr/bin/containerd", "/usr/bin/ctr"))).toMatchObject({
      kind: "fail",
      reason: expect.stringMatching(/^\/usr\/bin\/containerd, \/usr\/bin\/ctr not installed \(apt-get install containerd\)/),
    });
  });

  it("skips outside CI when a binary is missing, with the same reason", () => {
    for (const env of [{}, { CI: "false" }, { CI: "" }]) {
      expect(peerGate(["dockerd", "docker"], env, without("/usr/sbin/dockerd", "/usr/bin/docker"))).toEqual({
        kind: "skip",
        reason: "skipped: /usr/sbin/dockerd, /usr/bin/docker not installed (apt-get install docker.io)",
      });
    }
  });
});
