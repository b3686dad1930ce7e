// Whether a pid is still a living process. A killed grandchild is reparented to PID 1, which in a
// container may never reap it: a zombie has finished running, so it counts as gone.
import { readFileSync } from "node:fs";

/** True while `pid` exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  // Field 3 follows the parenthesised command name, which may itself contain spaces or parentheses.
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state !== "Z" && state !== "X";
}

/** Polls until `pid` is gone or `withinMs` passes; resolves to whether it is gone. */
export async function waitForProcessGone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !isProcessAlive(pid);
}

/** The pid a fixture printed as "<word> <pid>". */
export function printedPid(stdout: string, word: string): number {
  const match = new RegExp(`${word} (\\d+)`).exec(stdout);
  if (!match) throw new Error(`fixture did not print "${word} <pid>": ${JSON.stringify(stdout)}`);
  return Number(match[1]);
}
