// The outbox's promise with the real daemon as it ships (dist/): the daemon gives up while the
// receiver is down, so the "gave up" event waits in the outbox; the daemon is SIGKILLed; the
// receiver comes back; the next daemon delivers that event exactly once to the de-duplicating
// receiver. The k3s unit is a systemd1 stand-in on a private dbus-daemon that keeps failing.
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateBus, type PrivateBus } from "../../src/sim/systemd1/private-bus.js";
import { serveSystemd1, type ServedSystemd1 } from "../../src/sim/systemd1/serve.js";
import { createFakeUnit } from "../systemd/fake-unit.js";
import { startReceiver, until, type Receiver } from "./receiver.js";

const cli = join(process.cwd(), "dist/src/cli.js");

interface Row { event_id: string; kind: string; attempts: number; delivered_at: number | null; last_error: string | null }

describe("a daemon SIGKILLed with an undelivered event in its outbox", () => {
  const dir = mkdtempSync(join(tmpdir(), "swd-outbox-crash-"));
  const journalPath = join(dir, "state", "journal.sqlite");
  const unit = createFakeUnit("k3s.service", { activeState: "activating", subState: "auto-restart", result: "exit-code", restarts: 4 });
  let bus: PrivateBus;
  let served: ServedSystemd1;
  let receiver: Receiver;
  const children: ChildProcess[] = [];
  const config = join(dir, "config.yaml");

  const startDaemon = () => {
    const child = spawn(process.execPath, [cli, "run", "--config", config, "--state-dir", join(dir, "state"), "--runtime-dir", join(dir, "run")], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    children.push(child);
    return { child, output: () => output };
  };
  const rows = (): Row[] => {
    if (!existsSync(journalPath)) return [];
    const db = new Database(journalPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT event_id, kind, attempts, delivered_at, last_error FROM notification_outbox ORDER BY id").all() as Row[];
    } catch {
      return []; // not migrated yet
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build (npm test does it first)`);
    mkdirSync(join(dir, "bus"));
    bus = await startPrivateBus(join(dir, "bus"));
    served = await serveSystemd1(bus.address, [unit]);
    receiver = await startReceiver("ok");
    await receiver.down(); // its port is known; nothing answers there yet
    writeFileSync(config, [
      `dbus: { address: "${bus.address}" }`,
      `k3s: { kubeconfig: ${join(dir, "absent.yaml")}, containerdSocket: ${join(dir, "absent.sock")}, journalctl: /bin/true, containerdLog: ${join(dir, "absent.log")} }`,
      `registry: { dockerSocket: ${join(dir, "absent-docker.sock")}, endpoint: "http://127.0.0.1:9" }`,
      "timing: { tick: 1s, k3sHoldOff: 2s, probeTimeout: 1s }",
      // No restart allowed: the daemon gives up as soon as the hold-off is over.
      "budgets: { restartK3s: { max: 0 }, killallK3s: { max: 0 } }",
      "notifications:",
      "  retry: { initial: 300ms, max: 1s }",
      "  channels:",
      `    - { type: webhook, name: receiver, url: "${receiver.url}/hook" }`,
      "",
    ].join("\n"));
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await receiver?.close();
    await served?.close();
    await bus?.stop();
  });

  it("delivers it after the restart, exactly once", async () => {
    const first = startDaemon();
    let gaveUp: Row | undefined;
    await until("the gave-up event to fail its first attempts (receiver down)", () => {
      gaveUp = rows().find((row) => row.kind === "gave-up");
      return gaveUp !== undefined && gaveUp.attempts >= 2;
    }, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- daemon ---\n${first.output().slice(-3000)}`);
    });
    expect(gaveUp).toMatchObject({ delivered_at: null, last_error: "connection refused" });
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    expect(rows().find((row) => row.event_id === gaveUp!.event_id)?.delivered_at).toBeNull();

    await receiver.start();
    const second = startDaemon();
    await until("the first daemon's gave-up event at the receiver", () => receiver.acknowledged.has(gaveUp!.event_id), 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- daemon ---\n${second.output().slice(-3000)}`);
    });
    await until("the outbox to mark it delivered", () => rows().find((row) => row.event_id === gaveUp!.event_id)?.delivered_at != null);
    // Give a duplicate every chance to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(receiver.acknowledged.get(gaveUp!.event_id)).toBe(1);
    const sent = receiver.requests.filter((request) => (request.body as { id?: string }).id === gaveUp!.event_id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ kind: "gave-up", severity: "critical" });
    for (const [id, count] of receiver.acknowledged) expect([id, count]).toEqual([id, 1]);

    second.child.kill("SIGTERM");
    expect(await new Promise<number | null>((resolve) => second.child.once("exit", (code) => resolve(code)))).toBe(0);
  }, 90_000);
});
