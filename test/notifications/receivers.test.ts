// Delivery against receivers that misbehave, each a local HTTP server on 127.0.0.1: the outbox
// holds every event until a 2xx, retries back off, Retry-After is honoured, a hanging receiver
// costs only its own channel a timeout, a huge answer is cut short, redirects are never followed.
import { afterEach, describe, expect, it } from "vitest";
import { retryDelay, parseRetryAfter } from "../../src/notifications/backoff.js";
import { createHttpChannel } from "../../src/notifications/http-channel.js";
import { postJson } from "../../src/notifications/http-post.js";
import { anEvent, createRig, type Rig } from "./rig.js";
import { startReceiver, until, type Receiver } from "./receiver.js";

const webhook = (name: string, receiver: Receiver, timeoutMs = 2_000) =>
  createHttpChannel({ name, type: "webhook", format: "generic", url: `${receiver.url}/hook`, token: null, timeoutMs, route: {} });

let rig: Rig;
const receivers: Receiver[] = [];
const receiver = async (...args: Parameters<typeof startReceiver>) => {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
};
afterEach(async () => {
  await rig?.close();
  for (const r of receivers.splice(0)) await r.close();
});

describe("delivery to receivers that misbehave", () => {
  it("a receiver answering 500 is retried until it answers 200, then the event is delivered once and never again", async () => {
    rig = createRig();
    const r = await receiver("fail-500");
    const event = anEvent("gave-up", "e1");
    rig.outbox.enqueue(event, ["hook"], 100);
    rig.start([webhook("hook", r)]);
    await until("three failed attempts", () => r.requests.length >= 3);
    expect(rig.row(event.id, "hook")).toMatchObject({ delivered_at: null, last_error: "HTTP 500: internal error" });
    r.behaviour = "ok";
    await until("the delivery", () => (rig.row(event.id, "hook")?.delivered_at ?? null) !== null, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(r.acknowledged.get(event.id)).toBe(1);
    const stats = rig.outbox.stats();
    expect(stats).toMatchObject({ queued: 0, delivered: 1, dropped: 0 });
    expect(stats.failed).toBe(r.requests.length - 1);
  });

  it("back-off doubles from the initial delay up to the maximum, with jitter between half and all of it", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, 1000, 10_000, () => 1))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(retryDelay(3, 1000, 10_000, () => 0)).toBe(2000);
    expect(parseRetryAfter("120", 0)).toBe(120_000);
    expect(parseRetryAfter("Wed, 21 Oct 2026 07:28:10 GMT", Date.parse("Wed, 21 Oct 2026 07:28:00 GMT"))).toBe(10_000);
    expect(parseRetryAfter("soon", 0)).toBeNull();
  });

  it("a 429 with Retry-After: 2 is tried again no sooner than 2 s later, not after the 100 ms back-off", async () => {
    rig = createRig();
    const r = await receiver("rate-limited");
    r.retryAfterSeconds = 2;
    const event = anEvent("remedy-failed", "e2");
    rig.outbox.enqueue(event, ["hook"], 100);
    rig.start([webhook("hook", r)]);
    await until("the first attempt", () => r.requests.length === 1);
    await until("the second attempt", () => r.requests.length === 2, 10_000);
    r.behaviour = "ok";
    await until("the delivery", () => (rig.row(event.id, "hook")?.delivered_at ?? null) !== null, 10_000);
    const [first, second] = r.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_900);
    expect(r.acknowledged.get(event.id)).toBe(1);
  });

  it("a receiver that hangs costs its channel one request timeout; another channel is served meanwhile, and the hook never waits", async () => {
    rig = createRig();
    const hanging = await receiver("hang");
    const fine = await receiver("ok");
    const event = anEvent("human-needed", "e3");
    rig.outbox.enqueue(event, ["slow", "fast"], 100);
    // Written before any attempt: the rows are there before a request left.
    expect(rig.outbox.stats().queued).toBe(2);
    expect(hanging.requests.length + fine.requests.length).toBe(0);
    rig.start([webhook("slow", hanging, 600), webhook("fast", fine)]);
    await until("the fast channel's delivery", () => fine.acknowledged.has(event.id));
    expect(rig.row(event.id, "slow")?.attempts).toBe(0); // still in its first attempt
    await until("the slow channel's timeout", () => (rig.row(event.id, "slow")?.attempts ?? 0) >= 1, 5_000);
    expect(rig.row(event.id, "slow")).toMatchObject({ delivered_at: null, last_error: "no answer within 600 ms" });
  });

  it("an oversized answer is read only up to 16 KiB and the attempt fails without waiting for the rest", async () => {
    const r = await receiver("huge-body");
    const result = await postJson({ url: r.url, body: { hello: 1 }, timeoutMs: 5_000 });
    expect(result.ok).toBe(false);
    expect(result.status).toBe(500);
    expect(result.detail.length).toBeLessThan(220);
    expect(result.detail).toMatch(/^HTTP 500: x+ …$/);
  });

  it("a redirect is never followed: the request (which may carry a token) is not replayed elsewhere, and the event stays queued", async () => {
    rig = createRig();
    const r = await receiver("redirect");
    const event = anEvent("gave-up", "e4");
    rig.outbox.enqueue(event, ["hook"], 100);
    rig.start([createHttpChannel({ name: "hook", type: "webhook", format: "generic", url: `${r.url}/hook`, token: "s3cret-token", timeoutMs: 2_000, route: {} })]);
    await until("two attempts", () => r.requests.length >= 2);
    expect(r.requests.every((q) => q.path === "/hook")).toBe(true);
    expect(rig.row(event.id, "hook")).toMatchObject({ delivered_at: null });
    expect(rig.row(event.id, "hook")?.last_error).toMatch(/HTTP 307: redirects are not followed/);
  });

  it("a receiver that is down and comes back on the same port gets the event exactly once", async () => {
    rig = createRig();
    const r = await receiver("ok");
    await r.down();
    const event = anEvent("gave-up", "e5");
    rig.outbox.enqueue(event, ["hook"], 100);
    rig.start([webhook("hook", r)]);
    await until("a refused attempt", () => (rig.row(event.id, "hook")?.attempts ?? 0) >= 2);
    expect(rig.row(event.id, "hook")?.last_error).toBe("connection refused");
    await r.start();
    await until("the delivery", () => (rig.row(event.id, "hook")?.delivered_at ?? null) !== null, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(r.acknowledged.get(event.id)).toBe(1);
    expect(r.requests).toHaveLength(1);
    expect(rig.outbox.stats()).toMatchObject({ queued: 0, delivered: 1 });
  });
});
