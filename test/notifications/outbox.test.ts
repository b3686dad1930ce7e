// The outbox's own rules: once per (event, channel), a cap that drops the oldest non-critical
// deliveries first and counts them, old undelivered rows expiring, and deliveries surviving a
// worker stopped mid-flight (the in-process half of the SIGKILL test).
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpChannel } from "../../src/notifications/http-channel.js";
import { createOutbox } from "../../src/notifications/outbox.js";
import { startDeliveryWorker } from "../../src/notifications/delivery-worker.js";
import { anEvent, createRig, type Rig } from "./rig.js";
import { startReceiver, until, type Receiver } from "./receiver.js";

let rig: Rig;
const receivers: Receiver[] = [];
afterEach(async () => {
  await rig?.close();
  for (const r of receivers.splice(0)) await r.close();
});

describe("the outbox", () => {
  it("queues an event once per channel, however often it is derived", () => {
    rig = createRig();
    const event = anEvent("gave-up", "o1");
    expect(rig.outbox.enqueue(event, ["a", "b"], 100)).toEqual({ added: 2, dropped: 0 });
    expect(rig.outbox.enqueue(event, ["a", "b"], 100)).toEqual({ added: 0, dropped: 0 });
    expect(rig.outbox.stats().queued).toBe(2);
  });

  it("at its cap drops the oldest non-critical deliveries first, counts them, and keeps every critical one", () => {
    rig = createRig();
    const t0 = Date.parse("2026-11-30T10:00:00Z");
    const critical = [0, 1, 2].map((i) => anEvent("gave-up", `c${i}`, t0 + i));
    const warnings = Array.from({ length: 9 }, (_, i) => anEvent("remedy-failed", `w${i}`, t0 + 10 + i));
    for (const event of [critical[0]!, ...warnings.slice(0, 5), critical[1]!, ...warnings.slice(5), critical[2]!]) rig.outbox.enqueue(event, ["a"], 10);
    const left = rig.db.prepare("SELECT event_id FROM notification_outbox ORDER BY created_at").pluck().all();
    expect(left).toHaveLength(10);
    expect(new Set(left)).toEqual(new Set([...critical.map((e) => e.id), ...warnings.slice(2).map((e) => e.id)]));
    expect(rig.outbox.stats()).toMatchObject({ queued: 10, dropped: 2 });
  });

  it("when only critical deliveries are left over the cap, the oldest of them go", () => {
    rig = createRig();
    const events = Array.from({ length: 12 }, (_, i) => anEvent("gave-up", `x${i}`, 1000 + i));
    for (const event of events) rig.outbox.enqueue(event, ["a"], 10);
    const left = rig.db.prepare("SELECT event_id FROM notification_outbox ORDER BY created_at").pluck().all();
    expect(left).toEqual(events.slice(2).map((e) => e.id));
    expect(rig.outbox.stats().dropped).toBe(2);
  });

  it("an undelivered row older than the maximum age is dropped and counted; a delivered one just goes", () => {
    rig = createRig();
    const old = anEvent("gave-up", "old", 1000);
    const done = anEvent("gave-up", "done", 1000);
    rig.outbox.enqueue(old, ["a"], 100);
    rig.outbox.enqueue(done, ["a"], 100);
    const [, second] = rig.outbox.due(2000, 10);
    rig.outbox.markDelivered(second!.id, 1500);
    expect(rig.outbox.expire(1500 + 86_400_000 + 1, 86_400_000)).toBe(1);
    expect(rig.outbox.stats()).toMatchObject({ queued: 0, delivered: 1, dropped: 1 });
    expect(rig.db.prepare("SELECT count(*) FROM notification_outbox").pluck().get()).toBe(0);
  });

  it("a worker stopped in the middle of a delivery leaves the row undelivered; the next worker, on a new connection, delivers it once", async () => {
    rig = createRig();
    const r = await startReceiver("hang");
    receivers.push(r);
    const event = anEvent("human-needed", "o5");
    rig.outbox.enqueue(event, ["hook"], 100);
    const channel = () => createHttpChannel({ name: "hook", type: "webhook", url: `${r.url}/hook`, token: null, timeoutMs: 30_000, route: {} });
    rig.start([channel()]);
    await until("the request in flight", () => r.requests.length === 1);
    await rig.worker!.stop();
    expect(rig.row(event.id, "hook")).toMatchObject({ attempts: 0, delivered_at: null });
    r.behaviour = "ok";
    const db = new Database(rig.path);
    const outbox = createOutbox(db);
    const next = startDeliveryWorker({ outbox, channels: [channel()], clock: { now: () => Date.now() }, logger: rig.logger, retry: { initialMs: 100, maxMs: 1000 }, maxAgeMs: 86_400_000 });
    await until("the delivery", () => outbox.stats().delivered === 1);
    await next.stop();
    db.close();
    expect(r.acknowledged.get(event.id)).toBe(1);
  });

  it("deliveries for a channel no longer configured are dropped and counted at start", () => {
    rig = createRig();
    rig.outbox.enqueue(anEvent("gave-up", "gone"), ["removed", "kept"], 100);
    expect(rig.outbox.dropChannelsOtherThan(["kept"])).toBe(1);
    expect(rig.outbox.stats()).toMatchObject({ queued: 1, dropped: 1 });
  });

  it("a row for a channel the running worker does not have is dropped and counted, not retried forever", async () => {
    rig = createRig();
    const r = await startReceiver("ok");
    receivers.push(r);
    rig.start([createHttpChannel({ name: "kept", type: "webhook", url: `${r.url}/hook`, token: null, timeoutMs: 2_000, route: {} })]);
    rig.outbox.enqueue(anEvent("gave-up", "ghost"), ["ghost", "kept"], 100);
    rig.worker!.wake();
    await until("the ghost row to be dropped and the kept one delivered", () => rig.outbox.stats().dropped === 1 && rig.outbox.stats().delivered === 1);
    expect(rig.outbox.stats().queued).toBe(0);
  });

  it("remembers the episodes told across restarts", () => {
    rig = createRig();
    expect(rig.outbox.loadBook()).toBeNull();
    const book = { open: [{ key: "gave-up:k3s-down:1", kind: "gave-up" as const, severity: "critical" as const, title: "t", message: "m", startedAt: 1, firstId: "swd-gave-up-0", notices: 1, lastNoticeAt: 1, endsOnRecovery: true }], lowBudgets: ["restart-k3s"] };
    rig.outbox.saveBook(book);
    expect(createOutbox(new Database(rig.path)).loadBook()).toEqual(book);
  });
});
