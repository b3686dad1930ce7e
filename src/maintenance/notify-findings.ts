// A maintenance crit finding becomes a "maintenance-crit" notification, once per occurrence: the
// runner says a finding when a run sees it and the run before did not, so a finding that lasts is
// told once, and one that clears and comes back is a new occurrence, told again. The occurrence is
// the finding's key and the time of the run that first saw it (the journal note's key too): stable
// for that occurrence, so a retried delivery keeps its id, and new for the next one. Without the
// time, a finding back within the outbox's maxAge would share the id of a delivered row and be
// silently skipped (the outbox keeps one row per id and channel).
import { hostname } from "node:os";
import { eventId, KIND_SEVERITY, type NotificationEvent } from "../notifications/event.js";
import type { FindingEvent } from "./runner.js";

/** The notification for a finding, or null when it is not crit. */
export function findingNotification(event: FindingEvent, node = hostname()): NotificationEvent | null {
  if (event.finding.level !== "crit") return null;
  const episode = `maintenance:${event.check}:${event.finding.key}:${event.at}`;
  return {
    id: eventId("maintenance-crit", episode), kind: "maintenance-crit", severity: KIND_SEVERITY["maintenance-crit"],
    title: `maintenance finding: crit (${event.check})`,
    message: `${event.finding.text}; next: ${event.finding.next}`,
    at: event.at, node, episode, notice: 1,
  };
}
