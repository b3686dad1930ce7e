// The daemon's judgement of one look at a node, for `check`: what each symptom and each pod would
// get once its hold-off has passed. Pure, like step(): the same rules, with every condition taken
// as long-standing, so the output can be compared against any cluster.
import type { Config } from "../config/schema.js";
import { nextRemedy, SYMPTOM_PRIORITY } from "./ladder.js";
import { stampObservations, type Readings } from "./observe.js";
import { progressOf } from "./phase.js";
import { triagePods, type Announcement } from "./pod-triage.js";
import { findSymptoms } from "./symptoms.js";
import type { Observations, PodDeletion, Symptom } from "./types.js";

export interface Judgement {
  observations: Observations;
  /** "healthy", "unhealthy", or "unknown" when a probe could not tell and nothing is bad. */
  verdict: "healthy" | "unhealthy" | "unknown";
  symptoms: { symptom: Symptom; why: string; remedy: string | null }[];
  /** The node-level remedy the ladder would take first, if any. */
  remedy: string | null;
  podDeletions: PodDeletion[];
  reports: Announcement[];
}

// Far enough back that every hold-off has passed.
const LONG_AGO_MS = 365 * 86_400_000;
const ASSUMED_AGE = /(for )?365d/g;

// The rules' sentences name how long a condition has lasted; here that length is assumed, not seen.
function assumed(text: string): string {
  return text.replace(ASSUMED_AGE, "past its hold-off");
}

/** Judge one set of readings taken at `now`. */
export function judge(policy: Config, readings: Readings, now: number): Judgement {
  const observations = stampObservations(null, readings, now - LONG_AGO_MS);
  const triage = triagePods(policy, observations, {}, now, now - LONG_AGO_MS);
  const findings = findSymptoms(policy, observations, triage.registryWanted, now);
  const symptoms = SYMPTOM_PRIORITY.flatMap((symptom) =>
    findings.filter((f) => f.symptom === symptom).map((f) => ({ symptom, why: assumed(f.why), remedy: f.due ? (nextRemedy(symptom, null)?.remedy ?? null) : null })),
  );
  const progress = progressOf(observations);
  const anyBad = Object.values(observations).some((o) => o.status === "bad");
  const verdict = progress.allOk && !anyBad ? "healthy" : anyBad || progress.phase !== null ? "unhealthy" : "unknown";
  return {
    observations,
    verdict,
    symptoms,
    remedy: symptoms[0]?.remedy ?? null,
    podDeletions: triage.deletions.map((d) => ({ ...d, why: assumed(d.why) })),
    reports: triage.announcements.map((r) => ({ ...r, message: assumed(r.message) })),
  };
}
