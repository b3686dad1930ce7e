// The loop's hook: it writes the derived events to the outbox and returns at once, whatever the
// receivers do; the episodes told survive a restart, so the next daemon still sends "resolved".
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { initialState } from "../../src/core/state.js";
import type { Command, Phase } from "../../src/core/types.js";
import type { IterationReport } from "../../src/daemon/loop.js";
import { startDaemon } from "../../src/daemon/daemon.js";
import { EXIT_CONFIG } from "../../src/cli/exit-codes.js";
import { buildChannels } from "../../src/notifications/build-channels.js";
import { createNotifications } from "../../src/notifications/notifications.js";
import { createRig, type Rig } from "./rig.js";
import { startReceiver, until, type Receiver } from "./receiver.js";

const report = (now: number, phase: Phase, commands: Command[] = []): IterationReport =>
  ({ now, phase, observations: {} as IterationReport["observations"], commands, outcomes: [], notes: [], wakeAt: null, decideMs: 0, durationMs: 0 });

let rig: Rig;
const receivers: Receiver[] = [];
afterEach(async () => {
  await rig?.close();
  for (const r of receivers.splice(0)) await r.close();
});

describe("the loop's notification hook", () => {
  it("returns at once while the receiver hangs: the event is in the outbox before any request is answered", async () => {
    const hanging = await startReceiver("hang");
    receivers.push(hanging);
    const config = parseConfig({ notifications: { channels: [{ type: "webhook", name: "slow", url: `${hanging.url}/hook`, timeout: "20s" }] } });
    rig = createRig();
    const told = createNotifications({ config, outbox: rig.outbox, channels: buildChannels(config.notifications.channels), clock: { now: () => Date.now() }, logger: rig.logger, node: "n" });
    const now = Date.now();
    const returned = told.observe(report(now, "gave-up", [{ kind: "announce", level: "err", key: `gave-up:k3s-down:${now}`, message: "gave up" }]), initialState(now, []));
    // Synchronous: it returned a value, not a promise, so there was nothing it could wait on.
    expect(returned).toBeUndefined();
    expect(rig.outbox.stats().queued).toBe(1);
    await until("the request to reach the hanging receiver", () => hanging.requests.length === 1);
    expect(rig.outbox.stats()).toMatchObject({ queued: 1, delivered: 0 });
    await told.stop();
  });

  it("a daemon restarted in the middle of an incident still sends the one resolved, naming the give-up told before", async () => {
    const receiver = await startReceiver("ok");
    receivers.push(receiver);
    const config = parseConfig({ notifications: { channels: [{ type: "webhook", name: "r", url: `${receiver.url}/hook` }] } });
    rig = createRig();
    const make = () => createNotifications({ config, outbox: rig.outbox, channels: buildChannels(config.notifications.channels), clock: { now: () => Date.now() }, logger: rig.logger, node: "n" });
    const now = Date.now() - 300_000;
    const first = make();
    first.observe(report(now, "gave-up", [{ kind: "announce", level: "err", key: `gave-up:k3s-down:${now}`, message: "gave up" }]), initialState(now, []));
    await until("the gave-up delivery", () => rig.outbox.stats().delivered === 1);
    await first.stop();
    const second = make();
    second.observe(report(now + 60_000, "waiting-for-k3s"), initialState(now + 60_000, []));
    second.observe(report(now + 120_000, "healthy"), initialState(now + 120_000, []));
    second.observe(report(now + 125_000, "healthy"), initialState(now + 125_000, []));
    await until("the resolved delivery", () => rig.outbox.stats().delivered === 2);
    await second.stop();
    const kinds = receiver.requests.map((r) => (r.body as { kind: string }).kind);
    expect(kinds).toEqual(["gave-up", "resolved"]);
    expect((receiver.requests[1]!.body as { resolves: string[] }).resolves).toEqual([(receiver.requests[0]!.body as { id: string }).id]);
  });

  it("the daemon refuses to start (exit 78) when a channel's secret cannot be read, before it touches anything", async () => {
    const dir = mkdtempSync(join(tmpdir(), "swd-daemon-secret-"));
    const configPath = join(dir, "config.yaml");
    writeFileSync(configPath, "notifications:\n  channels:\n    - { type: ntfy, name: phone, url: \"http://127.0.0.1:9/alerts\", token: { credential: ntfy-token } }\n");
    expect(await startDaemon({ configPath, stateDir: join(dir, "state"), runtimeDir: join(dir, "run"), env: {} })).toBe(EXIT_CONFIG);
  });
});
