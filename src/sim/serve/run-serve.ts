// The foreground `simulate --serve` process: serve the node, tell the person how to point the
// daemon and kubectl at it, print what happens on the node, and stop cleanly on SIGINT/SIGTERM
// (sockets removed, the private dbus-daemon killed).
import { relative } from "node:path";
import { FaultInputError, parseFaultArgument } from "./fault-input.js";
import { serveSimulatedNode, type ServedNode } from "./serve-node.js";

export interface RunServeOptions {
  out: string;
  speed?: string;
  seed?: string;
  startAt?: string;
  fault?: string[];
  /** About this many pods in the namespace (filler pods added; for benchmarks). */
  pods?: string;
}

/** Exit codes the caller maps: 0 after a clean stop, 64 for bad options, 70 when serving failed. */
export async function runServe(options: RunServeOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const speed = options.speed === undefined ? 1 : Number(options.speed);
  const seed = options.seed === undefined ? 1 : Number(options.seed);
  if (!Number.isFinite(speed) || speed <= 0 || speed > 1000) return usage(`--speed must be a number in (0, 1000], got ${JSON.stringify(options.speed)}`);
  if (!Number.isInteger(seed)) return usage(`--seed must be an integer, got ${JSON.stringify(options.seed)}`);
  const pods = options.pods === undefined ? undefined : Number(options.pods);
  if (pods !== undefined && (!Number.isInteger(pods) || pods < 0 || pods > 100_000)) return usage(`--pods must be an integer in [0, 100000], got ${JSON.stringify(options.pods)}`);
  const startAt = options.startAt === undefined ? undefined : Date.parse(options.startAt);
  if (startAt !== undefined && !Number.isFinite(startAt)) return usage(`--start-at must be a date such as 2025-11-14T10:45:00Z, got ${JSON.stringify(options.startAt)}`);
  let faults;
  try {
    faults = (options.fault ?? []).map(parseFaultArgument);
  } catch (error) {
    if (error instanceof FaultInputError) return usage(error.message);
    throw error;
  }
  const started = Date.now();
  const stamp = () => `+${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`;
  let served: ServedNode;
  try {
    served = await serveSimulatedNode({ outDir: options.out, speed, seed, faults, ...(pods === undefined ? {} : { pods }), ...(startAt === undefined ? {} : { startAt }), onNote: (text) => out.write(`${stamp()}  ${text}\n`) });
  } catch (error) {
    process.stderr.write(`simulate --serve: cannot serve the node: ${(error as Error).message}\n`);
    return 70;
  }
  out.write(instructions(served));
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      out.write(`${stamp()}  ${signal}: stopping the simulated node\n`);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await served.stop();
  out.write(`${stamp()}  stopped; sockets removed, files left in ${served.outDir}\n`);
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`simulate --serve: ${message}\n`);
  return 64;
}

/** What a person needs to use the served node. */
function instructions(served: ServedNode): string {
  const { paths, warp } = served;
  const nearby = relative(process.cwd(), paths.configPath);
  const here = nearby.startsWith("..") ? paths.configPath : nearby;
  const client = `node ${paths.controlClient} ${paths.controlSocket}`;
  return [
    `simulated SongNodes node serving in ${served.outDir} at speed ${warp.speed} (node time runs ${warp.speed}× the wall clock)${served.fillerPods > 0 ? `, ${served.fillerPods} filler pods` : ""}`,
    `  API         ${paths.apiUrl}   kubeconfig ${paths.kubeconfig}`,
    `  systemd1    ${paths.busAddress}`,
    `  containerd  ${paths.containerdSocket}`,
    `  docker      ${paths.dockerSocket}   registry ${paths.registryEndpoint}`,
    `  control     ${paths.controlSocket}`,
    "",
    "run the daemon against it:",
    `  songnodes-watchdog run --config ${here} --state-dir ${served.outDir}/state`,
    "look at it:",
    `  songnodes-watchdog status --socket ${paths.runtimeDir}/status.sock`,
    `  kubectl --kubeconfig ${paths.kubeconfig} get pods -n songnodes`,
    `  curl --unix-socket ${paths.runtimeDir}/status.sock http://localhost/v1/status`,
    "inject a fault:",
    `  curl --unix-socket ${paths.controlSocket} -X POST -d '{"fault":"k3s-killed"}' http://localhost/v1/faults`,
    `  ${client} POST /v1/faults '{"fault":"registry-down"}'`,
    "clear every fault:",
    `  ${client} POST /v1/faults/clear`,
    "Ctrl-C stops it.",
    "",
  ].join("\n");
}
