// Each receiver gets the body its own documentation describes: ntfy's JSON publish (topic,
// title, message, priority 1–5, tags), Slack's incoming webhook (text plus blocks), Discord's
// execute-webhook (content and embeds within its limits), Alertmanager's v2 postable alerts.
import { afterEach, describe, expect, it } from "vitest";
import { alertmanagerPayload } from "../../src/notifications/formats/alertmanager.js";
import { createHttpChannel } from "../../src/notifications/http-channel.js";
import { eventId, type NotificationEvent } from "../../src/notifications/event.js";
import { anEvent } from "./rig.js";
import { startReceiver, type Receiver } from "./receiver.js";

const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

async function deliverThrough(type: "webhook" | "ntfy", format: "generic" | "slack" | "discord" | "alertmanager", event: NotificationEvent, path = "/hook") {
  const r = await startReceiver("ok");
  receivers.push(r);
  const channel = createHttpChannel({ name: "c", type, format, url: `${r.url}${path}`, token: "tk_secret", timeoutMs: 2_000, route: {} });
  const outcome = await channel.deliver(event);
  expect(outcome).toEqual({ ok: true, detail: "HTTP 200", retryAfterMs: null });
  expect(r.requests).toHaveLength(1);
  const request = r.requests[0]!;
  expect(request.headers["content-type"]).toBe("application/json");
  expect(request.headers.authorization).toBe("Bearer tk_secret");
  expect(request.headers["x-songnodes-event-id"]).toBe(event.id);
  return request;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const gaveUp: NotificationEvent = { ...anEvent("gave-up", "gave-up:k3s-down:1", Date.parse("2026-11-30T10:00:00Z")), message: "gave up on k3s-down <!channel> & more" };

describe("payloads in each receiver's documented shape", () => {
  it("ntfy: JSON published to the server root with the topic, priority 5 and tags for a critical event", async () => {
    const request = await deliverThrough("ntfy", "generic", gaveUp, "/alerts");
    expect(request.path).toBe("/");
    expect(request.body).toEqual({ topic: "alerts", title: "songnodes: gave-up title", message: gaveUp.message, priority: 5, tags: ["rotating_light", "gave-up"] });
  });

  it("ntfy: a warning is priority 4, a resolved event priority 3 with a check mark", async () => {
    const warning = await deliverThrough("ntfy", "generic", anEvent("budget-low", "b"), "/base/alerts");
    expect(warning.path).toBe("/base/");
    expect(warning.body).toMatchObject({ topic: "alerts", priority: 4, tags: ["warning", "budget-low"] });
    const resolved = await deliverThrough("ntfy", "generic", anEvent("resolved", "r"), "/alerts");
    expect(resolved.body).toMatchObject({ priority: 3, tags: ["white_check_mark", "resolved"] });
  });

  it("Slack: a text fallback and blocks (header, mrkdwn section, context), with Slack's markup characters escaped", async () => {
    const { body } = await deliverThrough("webhook", "slack", gaveUp);
    const slack = body as { text: string; blocks: Array<{ type: string; text?: { type: string; text: string }; elements?: Array<{ type: string; text: string }> }> };
    expect(Object.keys(slack).sort()).toEqual(["blocks", "text"]);
    expect(slack.text).toContain("gave up on k3s-down &lt;!channel&gt; &amp; more");
    expect(slack.text).not.toContain("<!channel>");
    expect(slack.blocks.map((b) => b.type)).toEqual(["header", "section", "context"]);
    expect(slack.blocks[0]!.text).toMatchObject({ type: "plain_text", text: "songnodes: gave-up title" });
    expect(slack.blocks[1]!.text!.type).toBe("mrkdwn");
    expect(slack.blocks[2]!.elements![0]!.text).toContain(gaveUp.id);
  });

  it("Discord: content and one embed inside Discord's limits, mentions off", async () => {
    const long: NotificationEvent = { ...gaveUp, title: "t".repeat(400), message: "m".repeat(5000) };
    const { body } = await deliverThrough("webhook", "discord", long);
    const discord = body as { content: string; embeds: Array<Record<string, unknown>>; allowed_mentions: unknown };
    expect(discord.content.length).toBeLessThanOrEqual(2000);
    expect(discord.embeds).toHaveLength(1);
    const embed = discord.embeds[0]!;
    expect((embed.title as string).length).toBe(256);
    expect((embed.description as string).length).toBe(4096);
    expect(embed.color).toEqual(expect.any(Number));
    expect(embed.timestamp).toMatch(ISO);
    expect(discord.allowed_mentions).toEqual({ parse: [] });
  });

  it("Alertmanager: an array of postable alerts POSTed to /api/v2/alerts with labels, annotations, startsAt and endsAt", async () => {
    const request = await deliverThrough("webhook", "alertmanager", gaveUp, "");
    expect(request.path).toBe("/api/v2/alerts");
    const alerts = request.body as Array<Record<string, unknown>>;
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    expect(Object.keys(alert).sort()).toEqual(["annotations", "endsAt", "labels", "startsAt"]);
    expect(alert.labels).toEqual({ alertname: "SongnodesWatchdogGaveUp", severity: "critical", instance: "songnodes", job: "songnodes-watchdog", episode_id: gaveUp.id });
    for (const value of Object.values(alert.labels as Record<string, string>)) expect(typeof value).toBe("string");
    expect(alert.startsAt).toMatch(ISO);
    expect(Date.parse(alert.endsAt as string)).toBeGreaterThan(Date.parse(alert.startsAt as string));
  });

  it("Alertmanager: a reminder refreshes the same alert, and resolved ends it with the same labels and endsAt = now", () => {
    const reminder: NotificationEvent = { ...gaveUp, id: eventId("gave-up", gaveUp.episode, 2), notice: 2, at: gaveUp.at + 3_600_000, startedAt: gaveUp.at };
    const [firing] = alertmanagerPayload(gaveUp);
    const [again] = alertmanagerPayload(reminder);
    expect(again!.labels).toEqual(firing!.labels);
    const resolvedAt = gaveUp.at + 7_200_000;
    const resolved: NotificationEvent = { ...anEvent("resolved", "r", resolvedAt), resolves: [gaveUp.id], startedAt: gaveUp.at };
    const [end] = alertmanagerPayload(resolved);
    expect(end!.labels).toEqual(firing!.labels);
    expect(end!.endsAt).toBe(new Date(resolvedAt).toISOString());
    expect(end!.startsAt).toBe(new Date(gaveUp.at).toISOString());
  });

  it("generic: the event itself, with the id receivers de-duplicate on", async () => {
    const { body } = await deliverThrough("webhook", "generic", gaveUp);
    expect(body).toEqual(gaveUp);
  });
});
