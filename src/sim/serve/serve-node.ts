// `simulate --serve`: the SongNodes node model in real time with every face the daemon looks
// through, on loopback and in one directory, plus a watchdog.yaml that points the real daemon at
// them. A timer moves the model to the (accelerated) wall clock and each face follows the model.
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startDockerEngineStandIn } from "../docker/engine-api.js";
import { startApiServer, type ApiRequestCounts } from "../kube/api-server.js";
import { nodeExtras } from "../model/maintenance-facts.js";
import type { Fault } from "../model/faults.js";
import { createSongNodesNode, type SongNodesNode } from "../model/songnodes-node.js";
import { startRegistryStandIn } from "../registry/http-registry.js";
import { createApiFollower } from "./api-follower.js";
import { createContainerdSocketFile } from "./containerd-socket-file.js";
import { createModelVerdict } from "./model-verdict.js";
import { clearFaults } from "./clear-faults.js";
import type { NodeVerdict } from "../../core/verdict.js";
import { startControlSocket } from "./control-socket.js";
import { addFillerPods } from "./filler-pods.js";
import { writeHostScripts } from "./host-scripts.js";
import { createNodeLogs } from "./node-logs.js";
import { startSystemdFace } from "./systemd-face.js";
import { createStaticUnit } from "../systemd1/static-unit.js";
import { createTimeWarp, type TimeWarp } from "./time-warp.js";
import { servedConfigYaml, type ServedPaths } from "./watchdog-config.js";
import { warpedStore, warpedUnit } from "./warped-faces.js";

export interface ServeOptions {
  outDir: string;
  /** Node time runs this many times faster than the wall clock; default 1. */
  speed?: number;
  seed?: number;
  /** Node time at the start, ms since the epoch (CronJobs follow it); default: now. */
  startAt?: number;
  /** Injected once everything is up. */
  faults?: Fault[];
  /** About this many pods in the namespace: filler pods are added to the model's own (benchmarks). */
  pods?: number;
  /** How often the model is moved to the wall clock; default 100 ms. */
  stepMs?: number;
  /** A line worth telling a person: a node note ("k3s.service failed (failed)") or an injected fault. */
  onNote?: (text: string) => void;
}

/** A served node. */
export interface ServedNode {
  readonly node: SongNodesNode;
  readonly warp: TimeWarp;
  readonly outDir: string;
  readonly paths: ServedPaths & { configPath: string; controlSocket: string; controlClient: string; apiUrl: string };
  readonly busPid: () => number | undefined;
  /** Filler pods added for `pods` (0 without it). */
  readonly fillerPods: number;
  /** Requests the API server received so far, by kind. */
  apiRequests(): ApiRequestCounts;
  inject(fault: Fault): void;
  stop(): Promise<void>;
}

/** Start the node and all its faces; resolves when watchdog.yaml is written. */
export async function serveSimulatedNode(options: ServeOptions): Promise<ServedNode> {
  const outDir = resolve(options.outDir);
  const speed = options.speed ?? 1;
  const warp = createTimeWarp(Date.now(), speed, options.startAt ?? Date.now());
  mkdirSync(outDir, { recursive: true });
  const node = createSongNodesNode({ start: warp.nodeAt(), seed: options.seed ?? 1, initial: "healthy" });
  const note = (text: string) => options.onNote?.(text);
  node.onNote(note);
  const fillerPods = options.pods === undefined ? 0 : addFillerPods(node.store, node.namespace, node.nodeName, options.pods, node.now());

  // Undo in reverse order whatever was started, also when a later face fails to start.
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve().then(cleanup).catch(() => undefined);
  };
  try {
    // The CA, the server's key and certificate stay in api/; kubeconfig.yaml (CA inline) is copied up.
    const api = await startApiServer({ store: warpedStore(node.store, warp), token: randomBytes(24).toString("hex"), dir: join(outDir, "api"), extras: nodeExtras(node), served: (info) => !info.group.endsWith("fluxcd.io") || node.faces.flux.installed() });
    cleanups.push(() => api.stop());
    const kubeconfig = join(outDir, "kubeconfig.yaml");
    copyFileSync(api.kubeconfigPath, kubeconfig);
    // UnitFileState comes from the runbook faces (the k3s-disabled fault); the watchdog's own unit is there too.
    const k3sUnit = { ...warpedUnit(node.unit, warp), unitFileState: () => node.faces.unitFileState(node.unit.name) };
    const ownUnit = { ...createStaticUnit("songnodes-watchdog.service", () => warp.wallAt(node.now())), unitFileState: () => node.faces.unitFileState("songnodes-watchdog.service") };
    const systemd = await startSystemdFace(join(outDir, "bus"), k3sUnit, [ownUnit]);
    cleanups.push(() => systemd.close());
    const dockerSocket = join(outDir, "docker.sock");
    const docker = await startDockerEngineStandIn({ socketPath: dockerSocket, registry: { ...node.registry, restartPolicy: () => node.faces.registryRestartPolicy() } });
    cleanups.push(() => docker.close(), () => rmSync(dockerSocket, { force: true }));
    const registry = await startRegistryStandIn({ host: "127.0.0.1", port: 0, registry: node.registry });
    cleanups.push(() => registry.close());
    const socket = createContainerdSocketFile(join(outDir, "containerd.sock"));
    cleanups.push(() => socket.close());
    const logs = createNodeLogs(join(outDir, "containerd.log"), join(outDir, "k3s-journal.txt"));
    const apiFollower = createApiFollower(api);
    const judgeModel = createModelVerdict(node);
    let verdict: NodeVerdict = { verdict: "unknown", cause: "not looked yet", detail: "" };

    const sync = async (): Promise<void> => {
      const { runtime } = node;
      await Promise.all([
        apiFollower.follow(runtime.apiAnswer()),
        socket.sync(runtime.containerdSocket()),
        systemd.follow(runtime.systemdReachable()),
      ]);
      logs.sync({ containerdLog: runtime.containerdLog(), k3sJournal: runtime.k3sJournal() });
      verdict = await judgeModel();
    };
    const inject = (fault: Fault): void => {
      node.advance(warp.nodeAt());
      note(`fault injected: ${JSON.stringify(fault)}`);
      node.inject(fault);
      void sync();
    };
    const stepMs = options.stepMs ?? 100;
    let stepping = false;
    const timer = setInterval(() => {
      if (stepping) return;
      stepping = true;
      node.advance(warp.nodeAt());
      void sync().finally(() => (stepping = false));
    }, stepMs);
    cleanups.push(() => clearInterval(timer));
    await sync();

    const controlSocket = join(outDir, "sim-control.sock");
    const control = await startControlSocket(controlSocket, {
      // Like the real script: kill and clean up, start nothing (the daemon's killall starts k3s).
      killall: () => {
        note("k3s-killall.sh called");
        node.runtime.killallScript();
      },
      inject,
      clearFaults: () => {
        node.advance(warp.nodeAt());
        const cleared = clearFaults(node);
        note(`faults cleared: ${cleared.length === 0 ? "none was on" : cleared.join(", ")}`);
        void sync();
        return cleared;
      },
      // The host-disk check's file systems: the model's, as the scenario runner gives them.
      filesystem: (path) => {
        node.advance(warp.nodeAt());
        return node.maintenance.filesystem(path);
      },
      describe: () => ({
        nodeTime: new Date(node.now()).toISOString(),
        wallTime: new Date().toISOString(),
        speed,
        healthy: node.healthy(),
        verdict: verdict.verdict,
        cause: verdict.cause,
        summary: node.summary(),
        pods: node.store.list("pods", node.namespace).items.length,
        apiRequests: api.requestCounts(),
      }),
    });
    cleanups.push(() => control.close(), () => rmSync(controlSocket, { force: true }));
    const scripts = writeHostScripts(outDir, controlSocket, logs.k3sJournal);
    const paths = {
      busAddress: systemd.address,
      kubeconfig,
      containerdSocket: socket.path,
      killall: scripts.killall,
      containerdLog: logs.containerdLog,
      journalctl: scripts.journalctl,
      dockerSocket,
      registryEndpoint: registry.url,
      runtimeDir: join(outDir, "run"),
      controlSocket,
    };
    const configPath = join(outDir, "watchdog.yaml");
    writeFileSync(configPath, servedConfigYaml(paths, speed));
    for (const fault of options.faults ?? []) inject(fault);

    return {
      node, warp, outDir,
      paths: { ...paths, configPath, controlClient: scripts.controlClient, apiUrl: api.url },
      busPid: systemd.busPid,
      fillerPods,
      apiRequests: () => api.requestCounts(),
      inject,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
