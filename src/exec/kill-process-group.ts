// Killing a command means killing its whole process group. A shell script's children (k3s-killall.sh
// runs umount, ip, pkill …) inherit the pipes; killing only the direct child, as execa does, leaves
// a grandchild holding them open and the caller waiting forever (docs/design.md §7).

/** Send `signal` to every process in the group led by `pid`; false when the group is already gone. */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    // ESRCH: nobody left in the group. EPERM cannot happen for our own children; treat it alike.
    return false;
  }
}

/** SIGTERM the group now, SIGKILL whatever is left after `graceMs`; returns a cancel for the SIGKILL. */
export function killProcessGroup(pid: number, graceMs: number): () => void {
  signalProcessGroup(pid, "SIGTERM");
  const timer = setTimeout(() => signalProcessGroup(pid, "SIGKILL"), graceMs);
  return () => clearTimeout(timer);
}
