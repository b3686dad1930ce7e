// Slack's incoming webhook: `text` is the notification's fallback (and what a phone shows), the
// blocks are what the channel shows. Slack reads &, < and > as markup (<!channel> pings everyone),
// so the daemon's words are escaped.
import type { NotificationEvent } from "../event.js";
import { clip } from "./text.js";

const ICON = { critical: ":rotating_light:", warning: ":warning:", info: ":white_check_mark:" } as const;

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The JSON body for a Slack incoming webhook. */
export function slackPayload(event: NotificationEvent): Record<string, unknown> {
  const headline = `${ICON[event.severity]} ${event.node}: ${event.title}`;
  return {
    text: clip(escape(`${headline}: ${event.message}`), 3000),
    blocks: [
      { type: "header", text: { type: "plain_text", text: clip(`${event.node}: ${event.title}`, 150), emoji: true } },
      { type: "section", text: { type: "mrkdwn", text: clip(escape(event.message), 3000) } },
      { type: "context", elements: [{ type: "mrkdwn", text: clip(escape(`${event.severity} · ${event.kind} · ${event.id}`), 3000) }] },
    ],
  };
}
