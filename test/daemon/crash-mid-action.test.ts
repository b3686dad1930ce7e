// The crash guarantee with the real daemon: `run` is killed with SIGKILL while its k3s restart is
// in flight; the next daemon marks that action interrupted and still counts it against the budget.
// The peer is a private dbus-daemon exporting a systemd1 stand-in whose restart job never ends.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateBus, type PrivateBus } from "../../src/sim/systemd1/private-bus.js";
import { serveSystemd1, type ServedSystemd1 } from "../../src/sim/systemd1/serve.js";
import { createFakeUnit } from "../systemd/fake-unit.js";
import { until } from "./built-daemon.js";

const cli = join(process.cwd(), "dist/src/cli.js");

function getJson(socketPath: string, path: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, timeout: 5000 }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(JSON.parse(body)));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("a daemon killed with SIGKILL in the middle of a k3s restart", () => {
  const dir = mkdtempSync(join(tmpdir(), "swd-crash-"));
  const unit = createFakeUnit("k3s.service", { activeState: "activating", subState: "auto-restart", result: "exit-code", restarts: 4 });
  unit.jobDelayMs = 600_000; // the restart job never ends while the test runs
  let bus: PrivateBus;
  let served: ServedSystemd1;
  const children: ChildProcess[] = [];
  const config = join(dir, "config.yaml");

  const startDaemon = () => {
    const child = spawn(process.execPath, [cli, "run", "--config", config, "--state-dir", join(dir, "state"), "--runtime-dir", join(dir, "run")], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build (npm test does it first)`);
    mkdirSync(join(dir, "bus"));
    bus = await startPrivateBus(join(dir, "bus"));
    served = await serveSystemd1(bus.address, [unit]);
    writeFileSync(config, [
      `dbus: { address: "${bus.address}" }`,
      `k3s: { kubeconfig: ${join(dir, "absent.yaml")}, containerdSocket: ${join(dir, "absent.sock")}, journalctl: /bin/true, containerdLog: ${join(dir, "absent.log")} }`,
      `registry: { dockerSocket: ${join(dir, "absent-docker.sock")}, endpoint: "http://127.0.0.1:9" }`,
      "timing: { tick: 1s, k3sHoldOff: 2s, probeTimeout: 1s }",
      // A fresh journal on a machine up longer than the budget window would hold the budgets (docs/security.md).
      "journal: { holdBudgetsWhenForgotten: false }",
      "",
    ].join("\n"));
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await served?.close();
    await bus?.stop();
  });

  it("leaves an interrupted action that the next daemon counts against the restart budget", async () => {
    const first = startDaemon();
    await until("the restart job to be started over D-Bus", () => (unit.calls.includes("restart") ? true : undefined));
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));

    const second = startDaemon();
    const statusSock = join(dir, "run", "status.sock");
    const history = await until("the second daemon's history", async () => {
      const answer = await getJson(statusSock, "/v1/history?kind=action&limit=10");
      return answer.entries?.length > 0 ? answer.entries : undefined;
    });
    expect(JSON.stringify(history)).toMatch(/interrupted/);
    const status = await getJson(statusSock, "/v1/status");
    const restarts = status.budgets.find((b: { kind: string }) => b.kind === "restart-k3s");
    expect(restarts.used).toBeGreaterThanOrEqual(1);

    const stopping = Date.now();
    second.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => second.once("exit", (c) => resolve(c)));
    expect(code).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
  }, 60_000);
});
