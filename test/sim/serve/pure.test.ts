// The pure parts of `simulate --serve`: the time warp, fault input and the scaled watchdog.yaml.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../../../src/config/load.js";
import { createTimeWarp } from "../../../src/sim/serve/time-warp.js";
import { FaultInputError, parseFault, parseFaultArgument } from "../../../src/sim/serve/fault-input.js";
import { servedConfigYaml } from "../../../src/sim/serve/watchdog-config.js";

const ANCHOR = Date.parse("2025-11-14T10:30:00Z");

describe("the time warp between node time and wall time", () => {
  it("at speed 10, ten node minutes pass in one wall minute", () => {
    const warp = createTimeWarp(ANCHOR, 10);
    expect(warp.nodeAt(ANCHOR + 60_000)).toBe(ANCHOR + 600_000);
    expect(warp.wallAt(ANCHOR + 600_000)).toBe(ANCHOR + 60_000);
  });

  it("a pod created 15 node minutes before the anchor shows as 90 s old in wall time", () => {
    const warp = createTimeWarp(ANCHOR, 10);
    const pod = { metadata: { name: "postgres-0", creationTimestamp: "2025-11-14T10:15:00Z" }, status: { conditions: [{ lastTransitionTime: "2025-11-14T10:20:00.500Z", message: "2025-11-14 not a time" }] } };
    const seen = warp.warpJson(pod);
    expect(seen.metadata.creationTimestamp).toBe("2025-11-14T10:28:30Z");
    expect(seen.status.conditions[0]?.lastTransitionTime).toBe("2025-11-14T10:29:00.050Z");
    expect(seen.status.conditions[0]?.message).toBe("2025-11-14 not a time");
    expect(pod.metadata.creationTimestamp).toBe("2025-11-14T10:15:00Z");
  });

  it("a node started at another time (--start-at) still shows its ages in wall time", () => {
    const wall = Date.parse("2026-03-01T08:00:00Z");
    const warp = createTimeWarp(wall, 10, ANCHOR);
    expect(warp.nodeAt(wall + 1_000)).toBe(ANCHOR + 10_000);
    expect(warp.warpJson({ at: "2025-11-14T10:29:00Z" }).at).toBe("2026-03-01T07:59:54Z");
  });

  it("refuses a speed that is not a positive number", () => {
    expect(() => createTimeWarp(ANCHOR, 0)).toThrow(/speed must be a positive number/);
  });
});

describe("faults given at run time", () => {
  it("a name alone takes the scenario defaults", () => {
    expect(parseFaultArgument("registry-down")).toEqual({ fault: "registry-down", fixedByRestart: true });
  });

  it("NAME:key=value pairs are typed as a person means them, durations in node time", () => {
    expect(parseFaultArgument("k3s-crash-loop:every=90s,times=3")).toEqual({ fault: "k3s-crash-loop", every: 90_000, times: 3 });
    expect(parseFaultArgument("registry-down:fixedByRestart=false")).toEqual({ fault: "registry-down", fixedByRestart: false });
    expect(parseFaultArgument("slow-pulls:duration=20m,workloads=rest-api|frontend")).toEqual({ fault: "slow-pulls", duration: 1_200_000, workloads: ["rest-api", "frontend"] });
  });

  it("JSON is accepted as POST /v1/faults takes it", () => {
    expect(parseFaultArgument('{"fault":"api-down","duration":"30s"}')).toEqual({ fault: "api-down", duration: 30_000 });
  });

  it("an unknown fault or a missing field is an error that names it", () => {
    expect(() => parseFault({ fault: "k3s-on-fire" })).toThrow(FaultInputError);
    expect(() => parseFault({ fault: "k3s-fails-to-start" })).toThrow(/times/);
    expect(() => parseFault(["k3s-killed"])).toThrow(/JSON object/);
    expect(() => parseFaultArgument("{nope")).toThrow(/not valid JSON/);
    expect(() => parseFaultArgument("registry-down:fixedByRestart")).toThrow(/not key=value/);
  });
});

describe("watchdog.yaml for the served node", () => {
  const paths = {
    busAddress: "unix:path=/srv/sim/bus/system_bus_socket", kubeconfig: "/srv/sim/kubeconfig.yaml", containerdSocket: "/srv/sim/containerd.sock",
    killall: "/srv/sim/k3s-killall.sh", containerdLog: "/srv/sim/containerd.log", journalctl: "/srv/sim/journalctl",
    dockerSocket: "/srv/sim/docker.sock", registryEndpoint: "http://127.0.0.1:40123", runtimeDir: "/srv/sim/run",
    controlSocket: "/srv/sim/sim-control.sock",
  };

  it("points every host path at the served faces and passes the daemon's own validation", () => {
    const config = parseConfig(parse(servedConfigYaml(paths, 1)), "watchdog.yaml");
    expect(config.dbus.address).toBe(paths.busAddress);
    expect(config.k3s).toMatchObject({ kubeconfig: paths.kubeconfig, containerdSocket: paths.containerdSocket, killall: paths.killall, containerdLog: paths.containerdLog, journalctl: paths.journalctl });
    expect(config.registry).toMatchObject({ endpoint: paths.registryEndpoint, dockerSocket: paths.dockerSocket, imagePrefix: "localhost:5000/" });
    expect(config.status.runtimeDir).toBe(paths.runtimeDir);
    // The host-disk check reads the simulated host there, not this machine's statfs.
    expect(config.maintenance.disk.simulatedHost).toBe(paths.controlSocket);
    expect(config.timing.k3sHoldOff).toBe(30_000);
  });

  it("at speed 10 the runbook's hold-offs, verifications and budget windows are a tenth, with floors on real I/O", () => {
    const config = parseConfig(parse(servedConfigYaml(paths, 10)), "watchdog.yaml");
    expect(config.timing.k3sHoldOff).toBe(3_000);
    expect(config.timing.terminatingForceDelete).toBe(30_000);
    // A tenth of the 2 s confirmation is below the shortest hold-off the config accepts: held at 1 s.
    expect(config.timing.apiRefusedHoldOff).toBe(1_000);
    expect(config.timing.verify.killallK3s).toBe(18_000);
    expect(config.budgets.restartK3s).toEqual({ max: 3, window: 360_000 });
    expect(config.timing.tick).toBe(500);
    expect(config.timing.probeTimeout).toBe(2_000);
    expect(config.actionTimeouts.restartRegistry).toBe(10_000);
  });
});
