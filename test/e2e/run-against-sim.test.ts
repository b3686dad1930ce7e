// End to end, in real time: `songnodes-watchdog simulate --serve` (speed 10: node time runs 10×
// the wall clock, and the watchdog.yaml it writes divides the runbook's durations by 10), then
// `songnodes-watchdog run --config <that watchdog.yaml>`, both from dist/ as they ship. Faults
// go in through the simulator's control socket; the daemon must notice and recover by itself, as
// its status socket, its journal history and its log lines show.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtCli } from "./built-cli.js";
import { startGroupProcess, type GroupProcess } from "../../bench/cost/process-group.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SPEED = 10;
// A node clock with no CronJob due for 30 node minutes (gold-to-operational runs at :17).
const START_AT = "2025-11-14T10:45:00Z";
const tools = ["/usr/bin/kubectl", "/usr/bin/dbus-daemon"].filter((tool) => !existsSync(tool));

let dir: string;
let node: string;
let serve: GroupProcess | undefined;
let daemon: GroupProcess | undefined;

interface StatusView {
  phase: string;
  probes: Record<string, { status: string; reason: string }>;
}
interface HistoryEntry {
  kind: string;
  at: number;
  summary: string;
  detail: Record<string, unknown>;
}

function get(socketPath: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath, path, timeout: 5_000 }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => (response.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${path}: HTTP ${response.statusCode} ${text}`))));
    });
    request.on("timeout", () => request.destroy(new Error(`${path}: no answer`)));
    request.on("error", reject);
    request.end();
  });
}
function post(socketPath: string, path: string, body: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath, path, method: "POST", timeout: 10_000 }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => (response.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${path}: HTTP ${response.statusCode} ${text}`))));
    });
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}
const status = () => get(join(node, "run", "status.sock"), "/v1/status").catch(() => null) as Promise<StatusView | null>;
const history = async () => ((await get(join(node, "run", "status.sock"), "/v1/history?limit=500")) as { entries: HistoryEntry[] }).entries;
const inject = (fault: unknown) => post(join(node, "sim-control.sock"), "/v1/faults", fault);

/** Poll the status socket every 100 ms until `check` holds; the views seen along the way are kept. */
async function watchStatus(what: string, check: (view: StatusView) => boolean, timeoutMs: number, seen: StatusView[] = []): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const view = await status();
    if (view) seen.push(view);
    if (view && check(view)) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const last = seen.at(-1);
  throw new Error(`not within ${timeoutMs} ms: ${what}; last phase ${last?.phase}: ${JSON.stringify(last?.probes)}\n--- daemon ---\n${daemon?.output().slice(-4000)}\n--- serve ---\n${serve?.output().slice(-2000)}`);
}

function kubectl(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("/usr/bin/kubectl", ["--kubeconfig", join(node, "kubeconfig.yaml"), "--cache-dir", join(dir, "kcache"), ...args], { timeout: 20_000, killSignal: "SIGKILL" }, (error, stdout, stderr) =>
      error ? reject(new Error(`kubectl ${args.join(" ")}: ${stderr}`)) : resolve(stdout));
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// Skipped only where a peer tool is absent (these machines have them; .ci/run installs dbus), and the title says which.
describe.skipIf(tools.length > 0)(`the daemon against the served simulated node, in real time${tools.length > 0 ? ` (skipped: missing ${tools.join(", ")})` : ""}`, () => {
  beforeAll(async () => {
    const cli = await builtCli(ROOT);
    dir = await mkdtemp(join(tmpdir(), "e2e-sim-"));
    node = join(dir, "node");
    serve = startGroupProcess([process.execPath, cli, "simulate", "--serve", "--out", node, "--speed", String(SPEED), "--start-at", START_AT], process.env, dir);
    await serve.waitFor(/Ctrl-C stops it\./, 20_000);
    // JOURNAL_STREAM set: the daemon writes the lines journald would get, `<priority>message {fields}`.
    const { NOTIFY_SOCKET: _notify, ...env } = process.env;
    daemon = startGroupProcess(
      [process.execPath, cli, "run", "--config", join(node, "watchdog.yaml"), "--state-dir", join(dir, "state"), "--runtime-dir", join(node, "run")],
      { ...env, JOURNAL_STREAM: "8:12345" },
      dir,
    );
    const started = Date.now();
    await watchStatus("the daemon reports the served node healthy", (view) => view.phase === "healthy", 30_000);
    console.log(`e2e: daemon healthy ${seconds(Date.now() - started)} after it started`);
  }, 240_000);

  afterAll(async () => {
    await daemon?.stop();
    await serve?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("k3s crashes and does not come back by itself (start limit hit): the daemon resets it and restarts it through D-Bus", async () => {
    const injected = Date.now();
    await inject({ fault: "k3s-start-limit" });
    await inject({ fault: "k3s-killed" });
    const detected = await watchStatus("the daemon sees k3s down", (view) => view.probes.k3sUnit?.status === "bad", 10_000);
    const recovered = await watchStatus("the daemon reports healthy again", (view) => view.phase === "healthy", 40_000);
    console.log(`e2e: k3s start-limit-hit detected in ${seconds(detected - injected)}, healthy again after ${seconds(recovered - injected)} (wall time; node time ×${SPEED})`);

    const restart = (await history()).find((entry) => entry.kind === "action" && entry.detail.kind === "restart-k3s" && entry.at >= injected);
    expect(restart?.detail.outcome).toBe("succeeded");
    expect(String(restart?.detail.detail)).toMatch(/reset-failed first/);
    expect(daemon?.output()).toMatch(/^<\d>resetting k3s's failed state and restarting it through systemd: k3s\.service is failed \(failed\) after start-limit-hit/m);
    expect(daemon?.output()).toMatch(/^<\d>restart-k3s done: reset-failed first; restarted k3s\.service \(job done\)/m);
    expect((await kubectl("get", "pods", "-n", "songnodes", "--no-headers")).trim().split("\n").every((line) => /\s1\/1\s+Running\s/.test(line))).toBe(true);
  }, 60_000);

  it("the registry goes down during a rollout: pods in ImagePullBackOff, the daemon restarts the registry and the pods run again", async () => {
    const injected = Date.now();
    await inject({ fault: "registry-down", fixedByRestart: true });
    // A rollout while the registry is down: the new pods must pull from localhost:5000.
    await kubectl("delete", "pods", "-n", "songnodes", "-l", "app in (rest-api,frontend)", "--wait=false");
    const seen: StatusView[] = [];
    const detected = await watchStatus("the daemon sees pods that cannot pull", (view) => /ImagePullBackOff|ErrImagePull/.test(view.probes.pods?.reason ?? ""), 20_000, seen);
    const recovered = await watchStatus("the daemon reports healthy again", (view) => view.phase === "healthy", 60_000, seen);
    console.log(`e2e: pull failures detected in ${seconds(detected - injected)}, healthy again after ${seconds(recovered - injected)} (wall time; node time ×${SPEED})`);

    const actions = (await history()).filter((entry) => entry.kind === "action" && entry.at >= injected);
    const registry = actions.find((entry) => entry.detail.kind === "restart-registry");
    expect(registry?.detail.outcome).toBe("succeeded");
    expect(actions.filter((entry) => entry.detail.kind === "restart-k3s" || entry.detail.kind === "killall-k3s")).toEqual([]);
    expect(seen.some((view) => view.probes.registry?.status === "bad")).toBe(true);
    expect(daemon?.output()).toMatch(/^<\d>restart-registry done/m);
    console.log(`e2e: actions after the registry fault: ${actions.map((entry) => entry.summary).reverse().join(" | ")}`);
  }, 90_000);
});
