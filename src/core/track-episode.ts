// Stage 4b of a step: the ladder's episode. A ladder resets only after its family has been clear
// for the healthy hold (a flapping k3s: for a calm flapping window), and its verification window is over,, so a flapping k3s keeps climbing,
// and meets its budget, instead of starting again from the bottom each time.
import type { Config } from "../config/schema.js";
import { formatDuration } from "../config/duration.js";
import { clearHold } from "./flapping.js";
import { FAMILY, LADDER, SYMPTOM_PRIORITY } from "./ladder.js";
import type { Announcement } from "./pod-triage.js";
import type { SymptomFinding } from "./symptoms.js";
import type { LadderPosition } from "./types.js";

/** The finding the ladder treats: the first by priority (a broken k3s explains the rest). */
export function topSymptom(findings: readonly SymptomFinding[]): SymptomFinding | null {
  const top = SYMPTOM_PRIORITY.map((symptom) => findings.find((f) => f.symptom === symptom)).find((f) => f !== undefined) ?? null;
  // A flapping k3s is due only between two attempts (see flapping.ts), when k3s-down is still
  // waiting out its hold-off: that is the one moment to treat the flapping, so it goes first then.
  const flapping = findings.find((f) => f.symptom === "k3s-flapping");
  if (top?.symptom === "k3s-down" && !top.due && flapping?.due === true) return flapping;
  return top;
}

/** Keep, or end after the healthy hold, the episode `ladder` is climbing for. `registryBad`: the registry probe reads bad now. */
export function trackEpisode(policy: Config, ladder: LadderPosition | null, findings: readonly SymptomFinding[], now: number, registryBad = false): { ladder: LadderPosition | null; announcements: Announcement[] } {
  if (ladder === null) return { ladder, announcements: [] };
  const family = FAMILY[ladder.symptom];
  if (findings.some((f) => FAMILY[f.symptom] === family)) return { ladder: { ...ladder, clearSince: null }, announcements: [] };
  // A registry still down is not clear, even while no pod is pulling from it (between back-offs, or
  // its pods deleted): ending here would say "recovered" of a registry that is down.
  if (family === "registry" && registryBad) return { ladder: { ...ladder, clearSince: null }, announcements: [] };
  const clearSince = ladder.clearSince ?? now;
  if (now - clearSince >= clearHold(policy, ladder.symptom) && now >= ladder.verifyUntil) {
    const message = `recovered from ${ladder.symptom} after ${LADDER[ladder.symptom][ladder.rung]} (clear for ${formatDuration(now - clearSince)})`;
    return { ladder: null, announcements: [{ level: "info", key: `recovered:${ladder.symptom}`, message }] };
  }
  return { ladder: { ...ladder, clearSince }, announcements: [] };
}
