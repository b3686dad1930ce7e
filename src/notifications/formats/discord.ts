// Discord's execute-webhook body: a short `content` line and one embed, inside Discord's limits
// (content 2000, embed title 256, description 4096 characters). Mentions are switched off so a
// pod name can never ping anyone.
import type { NotificationEvent } from "../event.js";
import { clip, iso } from "./text.js";

const COLOUR = { critical: 0xd73a49, warning: 0xe3a008, info: 0x2ea043 } as const;

/** The JSON body for a Discord webhook. */
export function discordPayload(event: NotificationEvent): Record<string, unknown> {
  return {
    content: clip(`${event.node}: ${event.title}`, 2000),
    embeds: [
      {
        title: clip(event.title, 256),
        description: clip(event.message, 4096),
        color: COLOUR[event.severity],
        timestamp: iso(event.at),
        footer: { text: clip(`${event.severity} · ${event.kind} · ${event.id}`, 2048) },
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
