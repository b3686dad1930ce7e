// Small formatting helpers the core's sentences share. Pure: they format what they are given.
import type { Config } from "../config/schema.js";
import type { LadderRemedy } from "./ladder.js";

/** A time the core was handed, as ISO 8601 (reads no clock). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** How long a remedy gets to show its effect before the next rung. */
export function verifyWindow(policy: Config, remedy: LadderRemedy): number {
  const { verify } = policy.timing;
  if (remedy === "restart-k3s") return verify.restartK3s;
  if (remedy === "killall-k3s") return verify.killallK3s;
  return verify.restartRegistry;
}
