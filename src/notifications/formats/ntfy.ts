// ntfy: published as JSON to the server's root with the topic in the body (JSON carries any
// title; headers would need encoding for non-ASCII). Priority 5 (max) wakes a phone, 4 (high)
// vibrates, 3 is the default; the tags show as emoji before the title.
import type { NotificationEvent, Severity } from "../event.js";
import { clip } from "./text.js";

const PRIORITY: Record<Severity, number> = { critical: 5, warning: 4, info: 3 };
const TAG: Record<Severity, string> = { critical: "rotating_light", warning: "warning", info: "information_source" };

/** The server root and topic of a topic URL (`http://host:port/alerts` → `http://host:port/`, `alerts`). */
export function splitTopicUrl(topicUrl: string): { server: string; topic: string } {
  const url = new URL(topicUrl);
  const parts = url.pathname.split("/").filter(Boolean);
  const topic = parts.pop() ?? "";
  url.pathname = parts.length === 0 ? "/" : `/${parts.join("/")}/`;
  url.search = "";
  return { server: url.toString(), topic };
}

/** The JSON body for ntfy's publish endpoint. */
export function ntfyPayload(event: NotificationEvent, topic: string): Record<string, unknown> {
  return {
    topic,
    title: clip(`${event.node}: ${event.title}`, 250),
    message: clip(event.message, 4000),
    priority: PRIORITY[event.severity],
    tags: [event.kind === "resolved" ? "white_check_mark" : TAG[event.severity], event.kind],
  };
}
