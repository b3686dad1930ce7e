// `simulate --serve` in-process at speed 20: the node's faces answer real clients (kubectl,
// busctl, curl-like HTTP over unix sockets, a plain connect on containerd.sock) and follow the
// model when faults are injected through the control socket.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { createHostDiskCheck } from "../../../src/maintenance/checks/host-disk.js";
import { createServedHostFilesystem } from "../../../src/maintenance/served-host-filesystem.js";
import { serveSimulatedNode, type ServedNode } from "../../../src/sim/serve/serve-node.js";

const SPEED = 20;
const tools = ["/usr/bin/kubectl", "/usr/bin/busctl", "/usr/bin/dbus-daemon"].filter((tool) => !existsSync(tool));
let dir: string;
let served: ServedNode;
let busPid: number | undefined;
const notes: string[] = [];

function run(file: string, args: string[], timeout = 20_000): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout, killSignal: "SIGKILL", env: { ...process.env, HOME: dir } }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error ? (typeof error.code === "number" ? error.code : -1) : 0 });
    });
  });
}
const kubectl = (...args: string[]) => run("/usr/bin/kubectl", ["--kubeconfig", served.paths.kubeconfig, "--cache-dir", join(dir, "kcache"), ...args]);

/** One HTTP request over a unix socket; the body parsed as JSON. */
function call(socketPath: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath, method, path, timeout: 30_000 }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text || "null") }));
    });
    request.on("timeout", () => request.destroy(new Error(`${method} ${path}: no answer`)));
    request.on("error", reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
const inject = (fault: unknown) => call(served.paths.controlSocket, "POST", "/v1/faults", fault);

/** "accepts", "refused" or "missing", as the daemon's containerd probe tells them apart. */
function socketState(path: string): Promise<"accepts" | "refused" | "missing"> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    socket.once("connect", () => (socket.destroy(), resolve("accepts")));
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ENOENT" ? "missing" : "refused"));
  });
}

/** Poll `check` every 100 ms until it holds (wall time; the node runs 20× faster). */
async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}; node: ${served.node.summary()}; notes: ${notes.slice(-8).join(" | ")}`);
}
const settled = () => until("the node is healthy", () => served.node.healthy(), 20_000);

describe.skipIf(tools.length > 0)(`the served node${tools.length > 0 ? ` (skipped: missing ${tools.join(", ")})` : ""}`, () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sim-serve-"));
    // Node time 02:30, between the hourly CronJobs: the run does not depend on the hour it starts.
    served = await serveSimulatedNode({ outDir: join(dir, "node"), speed: SPEED, startAt: Date.parse("2026-11-26T02:30:00Z"), onNote: (text) => notes.push(text) });
    busPid = served.busPid();
  });
  afterAll(async () => {
    await served?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("kubectl get pods -n songnodes lists the SongNodes pods, Running", async () => {
    const result = await kubectl("get", "pods", "-n", "songnodes");
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^NAME\s+READY\s+STATUS/);
    for (const name of ["postgres-0", "rabbitmq-0", "rest-api-", "frontend-", "metadata-enrichment-"]) {
      expect(result.stdout).toMatch(new RegExp(`^${name}\\S*\\s+1/1\\s+Running`, "m"));
    }
  });

  it("systemd1 on the private bus shows k3s.service active (running)", async () => {
    const result = await run("/usr/bin/busctl", [`--address=${served.paths.busAddress}`, "get-property", "org.freedesktop.systemd1", "/org/freedesktop/systemd1/unit/k3s_2eservice", "org.freedesktop.systemd1.Unit", "ActiveState", "SubState"]);
    expect(result.stdout).toBe('s "active"\ns "running"\n');
  });

  it("the registry answers GET /v2/_catalog and the Docker stand-in inspects the registry container running", async () => {
    const catalog = await fetch(`${served.paths.registryEndpoint}/v2/_catalog`).then((response) => response.json() as Promise<{ repositories: string[] }>);
    expect(catalog.repositories).toContain("songnodes_rest-api");
    const inspect = await call(served.paths.dockerSocket, "GET", "/v1.41/containers/registry/json");
    expect(inspect.json.State.Status).toBe("running");
  });

  it("k3s killed: the API refuses and containerd's socket is stale while it is down; systemd brings it all back", async () => {
    expect(await socketState(served.paths.containerdSocket)).toBe("accepts");
    expect((await inject({ fault: "k3s-killed" })).status).toBe(200);
    expect(await socketState(served.paths.containerdSocket)).toBe("refused");
    const down = await kubectl("get", "nodes", "--request-timeout=5s");
    expect(down.stderr).toMatch(/(connection|was) refused/);
    await until("the API answers again", async () => (await kubectl("get", "nodes", "--request-timeout=5s")).code === 0);
    await until("containerd's socket accepts again", async () => (await socketState(served.paths.containerdSocket)) === "accepts");
    await settled();
  });

  it("containerd's socket disappears with containerd; k3s-killall.sh cleans up (exit 0) and the next k3s start brings it back", async () => {
    await inject({ fault: "containerd-socket-missing", fixedBy: "killall" });
    await until("containerd.sock is gone", () => !existsSync(served.paths.containerdSocket));
    const killall = await run(served.paths.killall, [], 30_000);
    expect(killall.code).toBe(0);
    expect(JSON.parse(killall.stdout)).toMatchObject({ killall: "done" });
    // Like the real script it starts nothing: k3s, killed by it, comes back through Restart=always.
    await until("containerd's socket accepts again", async () => (await socketState(served.paths.containerdSocket)) === "accepts");
    expect(notes).toContain("k3s-killall.sh called");
  });

  it("registry-down through the control socket: connection refused on the registry port, the container exited", async () => {
    const answer = await inject({ fault: "registry-down", fixedByRestart: true });
    expect(answer.json.injected).toEqual({ fault: "registry-down", fixedByRestart: true });
    await until("the registry refuses", async () => (await fetch(`${served.paths.registryEndpoint}/v2/`).then(() => "up", (error: Error) => String((error.cause as Error | undefined)?.message ?? error))).includes("ECONNREFUSED"));
    expect((await call(served.paths.dockerSocket, "GET", "/containers/registry/json")).json.State.Status).toBe("exited");
    expect((await call(served.paths.dockerSocket, "POST", "/containers/registry/restart")).status).toBe(204);
    await until("the registry answers after docker restart", async () => (await fetch(`${served.paths.registryEndpoint}/v2/`).catch(() => null))?.status === 200);
  });

  it("containerd corruption lands in containerd.log, and the journalctl stand-in prints containerd's exit", async () => {
    await inject({ fault: "containerd-corruption" });
    await until("the corrupt start was logged", () => readFileSync(served.paths.containerdLog, "utf8").includes("panic: assertion failed: Page expected to be"));
    const journal = await run(served.paths.journalctl, ["-u", "k3s.service", "-o", "cat", "--no-pager"]);
    expect(journal.code).toBe(0);
    expect(journal.stdout).toMatch(/containerd: exit status 2/);
  });

  it("systemd unreachable: the bus is gone for the fault's node time, then the same address answers again", async () => {
    const activeState = () => run("/usr/bin/busctl", [`--address=${served.paths.busAddress}`, "get-property", "org.freedesktop.systemd1", "/org/freedesktop/systemd1/unit/k3s_2eservice", "org.freedesktop.systemd1.Unit", "ActiveState"], 5_000);
    await inject({ fault: "systemd-unreachable", duration: "60s" });
    await until("the bus is gone", async () => (await activeState()).code !== 0);
    await until("the bus answers again", async () => (await activeState()).code === 0);
  });

  it("the daemon's host-disk check reads the served node's simulated file systems (disk-filling shows), never this machine's disks", async () => {
    const host = createServedHostFilesystem(served.paths.controlSocket);
    const limits = parseConfig({}).maintenance.disk;
    const check = createHostDiskCheck({ host, limits });
    const model = served.node.maintenance.filesystem("/")!;
    expect(await host.usage("/")).toMatchObject({ totalBytes: model.totalBytes });
    expect(await host.usage("/no/such/path")).toEqual({ error: "ENOENT" });
    expect((await check.run(new AbortController().signal)).level).toBe("ok");
    // 95 % over 60 s of node time (the control socket reads `over` in seconds): 3 s of wall time at speed 20.
    expect((await inject({ fault: "disk-filling", path: "/var/lib/rancher/k3s", toPercent: 95, over: 60 })).status).toBe(200);
    await until("the served disk is past 90 %", async () => (await check.run(new AbortController().signal)).level === "crit");
    const result = await check.run(new AbortController().signal);
    expect(result.findings.map((f) => f.key)).toContain("disk:/var/lib/rancher/k3s:crit");
  });

  it("a fault the model does not know is a 400 that says why; so is a path that does not exist", async () => {
    const bad = await inject({ fault: "k3s-on-fire" });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/fault/);
    expect((await call(served.paths.controlSocket, "GET", "/v1/nope")).status).toBe(404);
    const node = await call(served.paths.controlSocket, "GET", "/v1/node");
    expect(node.json).toMatchObject({ speed: SPEED, healthy: false });
  });

  it("stop removes every socket and kills the private dbus-daemon", async () => {
    await served.stop();
    for (const path of [served.paths.containerdSocket, served.paths.dockerSocket, served.paths.controlSocket, join(served.outDir, "bus", "system_bus_socket")]) {
      expect(existsSync(path), path).toBe(false);
    }
    expect(busPid).toBeDefined();
    expect(() => process.kill(busPid as number, 0)).toThrow();
    await expect(fetch(`${served.paths.registryEndpoint}/v2/`)).rejects.toThrow();
  });
});
