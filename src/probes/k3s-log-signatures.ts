// What containerd's bolt metadata store (meta.db, bbolt) prints when an unclean shutdown left it
// damaged, taken from public k3s/containerd bug reports. Each is a panic or fatal at start-up,
// repeated on every restart: a restart cannot fix it.

/** Lines that alone prove damage. */
const SIGNATURES: readonly RegExp[] = [
  /panic: assertion failed: Page expected to be/i,
  /freepages: failed to get all reachable pages/i,
  /failed to recover state/i,
  /invalid page type/i,
  /panic: page \d+ already freed/i,
];

/** A Go memory fault counts only when bolt's code is in the stack trace that follows it. */
const FAULT = /unexpected fault address/i;
const BOLT_FRAME = /go\.etcd\.io\/bbolt|github\.com\/boltdb\/bolt|\bbbolt\b/i;
const FAULT_CONTEXT_LINES = 80;

/** The first line of `text` that shows containerd metadata corruption (trimmed, ≤ 300 chars), or null. */
export function findCorruption(text: string): string | null {
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    const proves =
      SIGNATURES.some((signature) => signature.test(line)) ||
      (FAULT.test(line) && lines.slice(index, index + FAULT_CONTEXT_LINES).some((next) => BOLT_FRAME.test(next)));
    if (proves) return line.trim().slice(0, 300);
  }
  return null;
}

/** containerd logs `msg="starting containerd"` first on every start. */
const START_LINE = /msg="starting containerd"/;

/** The part of containerd.log from its last start on (the whole text when no start is in it). */
export function lastContainerdStart(text: string): string {
  const lines = text.split("\n");
  for (let index = lines.length - 1; index >= 0; index--) {
    if (START_LINE.test(lines[index] ?? "")) return lines.slice(index).join("\n");
  }
  return text;
}
