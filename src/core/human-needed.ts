// What the daemon says when no restart can help: containerd's metadata database (a bbolt file,
// meta.db) is damaged. It says it once, names the file, quotes the evidence line, and points to
// the repair procedure; a person repairs it and runs `resume`.
import { dirname } from "node:path/posix";
import type { Config } from "../config/schema.js";
import type { K3sLogDetail } from "./types.js";

/** containerd's metadata database, beside containerd.log under the k3s agent directory. */
export function containerdMetaDb(policy: Config): string {
  return `${dirname(policy.k3s.containerdLog)}/io.containerd.metadata.v1.bolt/meta.db`;
}

/** Why a person is needed: the damaged file, the evidence, and what to do. */
export function corruptionWhy(policy: Config, evidence: K3sLogDetail | null, reason: string): string {
  const seen = evidence?.signature ? `${evidence.source ?? "the k3s log"} says "${evidence.signature}"` : reason;
  return [
    `containerd's metadata database ${containerdMetaDb(policy)} is damaged (${seen}).`,
    "No restart can fix this; the ladder has stopped.",
    "Repair it by hand as docs/repairs.md describes (stop k3s, move meta.db aside, start k3s),",
    "then run 'songnodes-watchdog resume'.",
  ].join(" ");
}
