// The command channel runs a program as root: a program others can change would let them choose
// what root runs, so the config is refused (exit 78) instead. Checked at config load, only when
// the process is root (a test or `check` run as a user cannot be attacked this way).
import { untrustedProgramReason } from "../exec/trusted-program.js";

/** Why the command channel must not run `program`, or null when it may. */
export function untrustedCommandReason(program: string, uid: number | undefined = process.getuid?.()): string | null {
  if (uid !== 0) return program.startsWith("/") ? null : `${program} is not an absolute path`;
  return untrustedProgramReason(program);
}
