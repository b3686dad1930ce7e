// The webhook and ntfy channels: one JSON POST each, in the shape the receiver documents.
import type { Channel, DeliveryOutcome } from "./channel.js";
import type { NotificationEvent } from "./event.js";
import { alertmanagerEndpoint, alertmanagerPayload } from "./formats/alertmanager.js";
import { discordPayload } from "./formats/discord.js";
import { ntfyPayload, splitTopicUrl } from "./formats/ntfy.js";
import { slackPayload } from "./formats/slack.js";
import { postJson } from "./http-post.js";
import { routeAccepts, type Route } from "./routing.js";

export type WebhookFormat = "generic" | "slack" | "discord" | "alertmanager";

export interface HttpChannelOptions {
  name: string;
  type: "webhook" | "ntfy";
  format?: WebhookFormat;
  /** Already resolved: from the file, or from its secret. */
  url: string;
  /** Sent as a bearer token when set. */
  token: string | null;
  timeoutMs: number;
  route: Route;
}

/** A webhook (generic, Slack, Discord, Alertmanager) or an ntfy topic. */
export function createHttpChannel(options: HttpChannelOptions): Channel {
  const headers: Record<string, string> = options.token === null ? {} : { authorization: `Bearer ${options.token}` };
  const request = (event: NotificationEvent): { url: string; body: unknown } => {
    if (options.type === "ntfy") {
      const { server, topic } = splitTopicUrl(options.url);
      return { url: server, body: ntfyPayload(event, topic) };
    }
    switch (options.format ?? "generic") {
      case "slack":
        return { url: options.url, body: slackPayload(event) };
      case "discord":
        return { url: options.url, body: discordPayload(event) };
      case "alertmanager":
        return { url: alertmanagerEndpoint(options.url), body: alertmanagerPayload(event) };
      default:
        return { url: options.url, body: event };
    }
  };
  return {
    name: options.name,
    type: options.type,
    accepts: (event) => routeAccepts(options.route, event),
    async deliver(event, signal): Promise<DeliveryOutcome> {
      const { url, body } = request(event);
      const result = await postJson({ url, body, headers: { ...headers, "x-songnodes-event-id": event.id }, timeoutMs: options.timeoutMs, signal });
      return { ok: result.ok, detail: result.detail, retryAfterMs: result.retryAfterMs };
    },
  };
}
