// A real Docker Engine (Debian's docker.io) for one test file: its own socket, data root, exec root,
// pidfile and cgroup parent in a temp dir, no bridge and no iptables, so nothing leaves loopback and
// nothing is shared with another dockerd. stop() removes every trace, also after a failed test.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { httpRequest } from "../../../src/registry/http-request.js";
import { cgroupDirs, killAll, mountsUnder, processesMentioning, removeCgroups, unmountUnder } from "./leftovers.js";
import { REAL_PEER_BINARIES } from "./peers-present.js";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RealDockerd {
  dir: string;
  socket: string;
  /** `docker -H unix://socket …` with Debian's CLI; never throws. */
  docker(args: string[], timeoutMs?: number): Promise<CommandResult>;
  /** Like docker(), but throws with stderr when the command fails. */
  dockerOk(args: string[], timeoutMs?: number): Promise<string>;
  /** What dockerd wrote to its log, for a failing test's message. */
  log(): string;
  /** Stop dockerd and its containers; kill, unmount and remove whatever is left. Idempotent. */
  stop(): Promise<void>;
}

/** Start dockerd and resolve once its API answers /_ping. */
export async function startRealDockerd(label: string): Promise<RealDockerd> {
  if (process.getuid?.() !== 0) throw new Error("a real dockerd needs root: run the real-peer tests as root (CI does)");
  const dir = mkdtempSync(join(tmpdir(), `songnodes-${label}-`));
  const socket = join(dir, "docker.sock");
  const cgroupParent = dir.split("/").pop() as string;
  for (const sub of ["data", "exec", "cli"]) mkdirSync(join(dir, sub));
  const logPath = join(dir, "dockerd.log");
  const logFd = openSync(logPath, "a");
  const child: ChildProcess = spawn(
    REAL_PEER_BINARIES.dockerd.path,
    [
      "--host", `unix://${socket}`, "--data-root", join(dir, "data"), "--exec-root", join(dir, "exec"),
      "--pidfile", join(dir, "dockerd.pid"), "--bridge=none", "--iptables=false", "--ip6tables=false",
      // Containers land in a cgroup of this test's own, so cleanup can find every one of them.
      "--cgroup-parent", `/${cgroupParent}`, "--shutdown-timeout", "3",
    ],
    { detached: true, stdio: ["ignore", logFd, logFd] },
  );
  closeSync(logFd);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopped: Promise<void> | null = null;

  const docker = (args: string[], timeoutMs = 60_000) =>
    new Promise<CommandResult>((resolve) => {
      execFile(
        REAL_PEER_BINARIES.docker.path,
        ["-H", `unix://${socket}`, ...args],
        { timeout: timeoutMs, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", DOCKER_CONFIG: join(dir, "cli") } },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  const log = () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : "");

  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM"); // dockerd stops its containers (3 s each at most) and its containerd
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
        if (child.exitCode === null && child.signalCode === null) {
          if (child.pid !== undefined) killAll([-child.pid]);
          await exited;
        }
      }
      await removeCgroups(cgroupParent);
      killAll(processesMentioning(dir)); // a containerd-shim that outlived dockerd
      unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true });
      const left = [...mountsUnder(dir), ...processesMentioning(dir).map(String), ...cgroupDirs(cgroupParent).filter(existsSync)];
      if (left.length > 0) throw new Error(`the real dockerd left behind: ${left.join(", ")}`);
    })());

  const deadline = Date.now() + 30_000;
  for (;;) {
    const ping = existsSync(socket) ? await httpRequest({ socketPath: socket, url: "/_ping", timeoutMs: 1_000 }) : null;
    if (ping?.kind === "response" && ping.status === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const why = child.exitCode !== null ? `dockerd exited with ${child.exitCode}` : "dockerd did not answer /_ping within 30 s";
      const text = log();
      await stop();
      throw new Error(`${why}:\n${text.slice(-2_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    dir, socket, docker, log, stop,
    async dockerOk(args, timeoutMs) {
      const result = await docker(args, timeoutMs);
      if (result.code !== 0) throw new Error(`docker ${args.join(" ")} failed (${result.code}): ${result.stderr}${result.stdout}`);
      return result.stdout.trim();
    },
  };
}
