// Stage 9b of a step: what to say. Each announcement has a key; a key already said is not said
// again while its condition lasts.
import type { Announcement } from "./pod-triage.js";
import type { Command } from "./types.js";

/** The announce commands for this step, and the keys that are now said. */
export function sayOnce(announcements: readonly Announcement[], announced: readonly string[]): { commands: Command[]; announced: string[] } {
  const said = new Set<string>();
  const commands: Command[] = [];
  for (const a of announcements) {
    if (said.has(a.key)) continue;
    said.add(a.key);
    if (!announced.includes(a.key)) commands.push({ kind: "announce", level: a.level, key: a.key, message: a.message });
  }
  return { commands, announced: [...said] };
}
