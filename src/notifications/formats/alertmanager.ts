// Alertmanager's v2 API (POST /api/v2/alerts, a JSON array of postable alerts). Alertmanager
// identifies an alert by its label set, so the labels name the episode's first event: a reminder
// refreshes the same alert, and `resolved` ends each alert of the incident with endsAt. A firing
// alert's endsAt lies a day ahead (Alertmanager would end one without endsAt after its
// resolve_timeout, 5 minutes by default); set `reminder` under a day to keep it firing longer.
import { eventId, KIND_SEVERITY, kindOfId, type EventKind, type NotificationEvent } from "../event.js";
import { clip, iso } from "./text.js";

const FIRING_FOR_MS = 24 * 3_600_000;
// A test event must not page anyone for a day: it ends by itself a few minutes later.
const TEST_FOR_MS = 5 * 60_000;

const alertname = (kind: EventKind) => `SongnodesWatchdog${kind.split("-").map((w) => w[0]!.toUpperCase() + w.slice(1)).join("")}`;

/** The alerts endpoint for a configured Alertmanager URL (its base, or the endpoint itself). */
export function alertmanagerEndpoint(url: string): string {
  const parsed = new URL(url);
  if (!parsed.pathname.replace(/\/+$/, "").endsWith("/api/v2/alerts")) parsed.pathname = `${parsed.pathname.replace(/\/+$/, "")}/api/v2/alerts`;
  return parsed.toString();
}

/** The JSON body (an array of alerts) for one event. */
export function alertmanagerPayload(event: NotificationEvent): Record<string, unknown>[] {
  if (event.kind === "resolved") {
    return (event.resolves ?? []).map((id) => {
      const kind = kindOfId(id) ?? "gave-up";
      return {
        labels: labels(kind, event.node, id),
        annotations: { summary: clip(`${event.node}: ${event.title}`, 1000), description: clip(event.message, 4000), resolved_by: event.id },
        startsAt: iso(event.startedAt ?? event.at),
        endsAt: iso(event.at),
      };
    });
  }
  const first = eventId(event.kind, event.episode, 1);
  return [
    {
      labels: labels(event.kind, event.node, first),
      annotations: { summary: clip(`${event.node}: ${event.title}`, 1000), description: clip(event.message, 4000), event_id: event.id },
      startsAt: iso(event.startedAt ?? event.at),
      endsAt: iso(event.at + (event.kind === "test" ? TEST_FOR_MS : FIRING_FOR_MS)),
    },
  ];
}

function labels(kind: EventKind, node: string, episodeId: string): Record<string, string> {
  return { alertname: alertname(kind), severity: KIND_SEVERITY[kind], instance: node, job: "songnodes-watchdog", episode_id: episodeId };
}
