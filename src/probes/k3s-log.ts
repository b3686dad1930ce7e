// docs/design.md §3, §4: containerd metadata corruption after an unclean shutdown is damage no restart can
// fix; the ladder must stop and ask for a person instead of looping killall. k3s runs containerd as
// a child that logs to its own containerd.log; the k3s journal only shows that containerd exited.
import { open } from "node:fs/promises";
import type { K3sLogDetail, Reading } from "../core/types.js";
import type { Probe, RunCommand } from "../ports.js";
import { findCorruption, lastContainerdStart } from "./k3s-log-signatures.js";

export { findCorruption } from "./k3s-log-signatures.js";

export interface K3sLogProbeOptions {
  runCommand: RunCommand;
  /** The journalctl binary. */
  journalctl: string;
  unit: string;
  /** k3s's /var/lib/rancher/k3s/agent/containerd/containerd.log. */
  containerdLog: string;
  /** When the unit's current start attempt began (ms); the journal is read from there, else its last 500 lines. */
  unitStartedAt?: () => number | null;
  /** journalctl's timeout; default 5 s. */
  timeoutMs?: number;
  /** How much of containerd.log's end is read; default 256 KiB. */
  tailBytes?: number;
}

/** One source as read: its text, or why it could not be read. */
export type Source = { text: string } | { error: string };

/** containerd's own exit as the k3s journal shows it: a symptom, not proof of corruption. */
const CONTAINERD_EXITED = /containerd(?: exited)?: exit status \d+/i;

/** The k3s log probe: journalctl for the unit plus the tail of containerd.log. */
export function createK3sLogProbe(options: K3sLogProbeOptions): Probe<K3sLogDetail> {
  const tailBytes = options.tailBytes ?? 262_144;
  const readJournal = async (signal: AbortSignal): Promise<Source> => {
    const since = options.unitStartedAt?.() ?? null;
    const range = since === null ? ["-n", "500"] : ["--since", `@${Math.floor(since / 1_000)}`, "-n", "2000"];
    const argv = [options.journalctl, "-u", options.unit, "-o", "cat", "--no-pager", "-q", "-b", ...range];
    const result = await options.runCommand(argv, { timeoutMs: options.timeoutMs ?? 5_000, signal });
    if (result.spawnError) return { error: result.spawnError };
    if (result.timedOut) return { error: "journalctl timed out" };
    if (result.exitCode !== 0) {
      return { error: `journalctl exited with ${result.exitCode ?? result.signal}: ${result.stderr.trim().slice(0, 200) || "(no message)"}` };
    }
    return { text: result.stdout };
  };
  const readLogTail = async (): Promise<Source> => {
    try {
      const file = await open(options.containerdLog, "r");
      try {
        const { size } = await file.stat();
        const length = Math.min(size, tailBytes);
        const buffer = Buffer.alloc(length);
        await file.read(buffer, 0, length, size - length);
        return { text: buffer.toString("utf8") };
      } finally {
        await file.close();
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { error: code === "ENOENT" ? "not found" : code === "EACCES" ? "permission denied" : String((error as Error).message) };
    }
  };

  return {
    name: "k3sLog",
    async read(signal) {
      const [journal, log] = await Promise.all([readJournal(signal), readLogTail()]);
      return interpretK3sLog(journal, log, options);
    },
  };
}

/**
 * The judgement, pure (the simulator's probe calls it too): what the journal and containerd.log say,
 * each read or not. A source that could not be read makes a clean reading unknown, never ok.
 */
export function interpretK3sLog(journal: Source, log: Source, options: Pick<K3sLogProbeOptions, "unit" | "containerdLog">): Reading<K3sLogDetail> {
  const journalName = `the ${options.unit} journal`;
  if ("error" in journal && "error" in log) {
    return {
      status: "unknown",
      reason: `cannot read ${journalName} (${journal.error}) nor ${options.containerdLog} (${log.error})`,
      detail: null,
    };
  }
  // Only the last containerd start counts: an old panic that a person has since repaired stays in the file.
  const found =
    ("text" in log && withSource(findCorruption(lastContainerdStart(log.text)), "containerd.log")) ||
    ("text" in journal && withSource(findCorruption(journal.text), "journal")) ||
    null;
  if (found) {
    return {
      status: "bad",
      reason: `containerd metadata looks corrupt (${found.source}: "${found.signature}"); no restart can fix this, a person must repair containerd's state`,
      detail: found,
    };
  }
  // No signature, but a source we could not read may hold one: we could not tell, so unknown. A
  // containerd.log that does not exist counts too: k3s writes it from containerd's first start, so
  // a missing one means we are looking in the wrong place (another --data-dir), not a clean log.
  const blind = [
    "error" in journal ? `${journalName} unreadable: ${journal.error}` : null,
    "error" in log ? `${options.containerdLog} unreadable: ${log.error}` : null,
  ].filter((note): note is string => note !== null);
  if (blind.length > 0) {
    return { status: "unknown", reason: `cannot tell whether containerd metadata is corrupt: ${blind.join("; ")}`, detail: null };
  }
  const notes: string[] = [];
  const exited = "text" in journal ? CONTAINERD_EXITED.exec(journal.text) : null;
  if (exited) notes.push(`the journal shows "${exited[0]}", but containerd.log has no corruption signature`);
  return {
    status: "ok",
    reason: `no sign of containerd metadata corruption in ${journalName} and containerd.log${notes.length ? ` (${notes.join("; ")})` : ""}`,
    detail: { signature: null, source: null },
  };
}

function withSource(signature: string | null, source: string): K3sLogDetail | null {
  return signature === null ? null : { signature, source };
}
