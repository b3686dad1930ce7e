// Stage 9b of a step: what to say. Each announcement has a key, and a key is said once per episode:
// while its condition lasts it is not said again, and a tick that does not see the condition (a
// crash-looping container Running between two back-offs, a pull retrying) does not end the
// episode. The key is forgotten only after its condition has been clear, and the node healthy, for
// the healthy hold: a pod's condition hidden by a reboot or a k3s restart (the pod Unknown, then
// ContainerCreating) is not over, and an episode ends only with the node healthy. A condition that
// lasts is said again only as a reminder, every `announcements.remindEvery`.
// Keys name the condition, never a time: a restored memory must find the same key after a daemon
// restart, even when the wall clock stepped in between.
import type { Config } from "../config/schema.js";
import { formatDuration } from "../config/duration.js";
import type { Announcement } from "./pod-triage.js";
import type { AnnouncedKey, Command } from "./types.js";

/** The announce commands for this step, and what is remembered as said. */
export function sayOnce(
  policy: Config,
  announcements: readonly Announcement[],
  announced: Readonly<Record<string, AnnouncedKey>>,
  view: {
    now: number;
    /** The pod list cannot be read (k3s or its API down): no pod's condition can be seen clear, so no key ages. */
    blind: boolean;
    /** Every probe reads ok now. While not, no key ages: the episode has not ended. Absent: taken as healthy. */
    healthy?: boolean;
    /** Keys not raised now whose condition still holds (a gave-up's symptom, while the ladder tries again after the cooldown): they do not age. */
    ongoing?: readonly string[];
  },
): { commands: Command[]; announced: Record<string, AnnouncedKey>; remindAt: number | null } {
  const { now } = view;
  const { healthyHold } = policy.timing;
  const { remindEvery } = policy.announcements;
  const next: Record<string, AnnouncedKey> = {};
  const commands: Command[] = [];
  // When the earliest reminder of a condition raised now falls due: a wake-up, so it is said on time.
  let remindAt: number | null = null;
  for (const a of announcements) {
    if (next[a.key] !== undefined) continue;
    const before = announced[a.key];
    if (before === undefined) {
      next[a.key] = { firstSaidAt: now, saidAt: now, seenAt: now };
      commands.push({ kind: "announce", level: a.level, key: a.key, message: a.message });
    } else if (now - before.saidAt >= remindEvery) {
      next[a.key] = { ...before, saidAt: now, seenAt: now };
      commands.push({ kind: "announce", level: a.level, key: a.key, message: `reminder, first said ${formatDuration(now - before.firstSaidAt)} ago: ${a.message}` });
    } else {
      next[a.key] = { ...before, seenAt: now };
    }
    const due = (next[a.key] as AnnouncedKey).saidAt + remindEvery;
    remindAt = remindAt === null ? due : Math.min(remindAt, due);
  }
  // Keys not raised now: kept until their condition has been clear for the healthy hold.
  for (const [key, said] of Object.entries(announced)) {
    if (next[key] !== undefined) continue;
    const seenAt = view.blind || view.healthy === false || view.ongoing?.includes(key) ? Math.max(said.seenAt, now) : said.seenAt;
    if (now - seenAt < healthyHold) next[key] = { ...said, seenAt };
  }
  return { commands, announced: next, remindAt };
}
