import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/exec/run-command.js";
import type { RunCommand } from "../../src/ports.js";
import { createK3sLogProbe, findCorruption } from "../../src/probes/k3s-log.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const START = 'time="2025-11-13T09:59:58.100Z" level=info msg="starting containerd" revision=0c1c9b6b version=v1.7.23-k3s2';
const BOLT_PANIC = [
  START,
  'time="2025-11-13T09:59:58.200Z" level=info msg="loading plugin \\"io.containerd.metadata.v1.bolt\\"..." type=io.containerd.metadata.v1',
  "panic: assertion failed: Page expected to be: 23441, but self identifies as 0",
  "",
  "goroutine 1 [running]:",
  "go.etcd.io/bbolt._assert(...)",
  "\t/go/pkg/mod/go.etcd.io/bbolt@v1.3.10/db.go:1387",
].join("\n");
const HEALTHY = [START, 'time="2025-11-13T10:05:00.000Z" level=info msg="containerd successfully booted in 0.052s"'].join("\n");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "k3s-log-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function probe(journal: string, containerdLog: string | null, extra: { runCommand?: RunCommand; unitStartedAt?: () => number | null } = {}) {
  const logPath = join(dir, "containerd.log");
  if (containerdLog !== null) writeFileSync(logPath, containerdLog);
  return createK3sLogProbe({ runCommand, journalctl: fixture(journal), unit: "k3s.service", containerdLog: logPath, ...extra });
}
const read = (p: ReturnType<typeof probe>) => p.read(AbortSignal.timeout(10_000));

describe("findCorruption", () => {
  it.each([
    "panic: assertion failed: Page expected to be: 23441, but self identifies as 0",
    "panic: freepages: failed to get all reachable pages (page 1431: multiple references)",
    'level=fatal msg="Failed to run CRI service" error="failed to recover state: failed to get metadata for stored sandbox"',
    "panic: invalid page type: 0: 4",
    "panic: page 2112 already freed",
  ])("finds %s", (line) => {
    expect(findCorruption(`some line\n${line}\nanother`)).toBe(line);
  });

  it("finds a memory fault only when bolt is in the stack trace", () => {
    const fault = "unexpected fault address 0x7f3a2c9e1000\nfatal error: fault\n[signal SIGBUS: bus error code=0x2 addr=0x7f3a2c9e1000 pc=0x9b1f3e]";
    expect(findCorruption(`${fault}\ngoroutine 1 [running]:\ngo.etcd.io/bbolt.(*Cursor).search(...)`)).toBe("unexpected fault address 0x7f3a2c9e1000");
    expect(findCorruption(`${fault}\ngoroutine 1 [running]:\nmain.main()`)).toBeNull();
  });

  it("does not take containerd's exit for corruption", () => {
    expect(findCorruption('level=fatal msg="containerd exited: exit status 2"\ncontainerd: exit status 2')).toBeNull();
  });

  it("finds nothing in a healthy log", () => {
    expect(findCorruption(HEALTHY)).toBeNull();
  });
});

describe("k3s log probe", () => {
  it("a bolt panic in containerd.log is bad, with the signature and the source", async () => {
    const reading = await read(probe("journalctl-containerd-exited.sh", BOLT_PANIC));
    expect(reading.status).toBe("bad");
    expect(reading.detail).toEqual({
      signature: "panic: assertion failed: Page expected to be: 23441, but self identifies as 0",
      source: "containerd.log",
    });
    expect(reading.reason).toMatch(/no restart can fix this/);
  });

  it("containerd's exit in the journal alone is ok, and said in the reason", async () => {
    const reading = await read(probe("journalctl-containerd-exited.sh", HEALTHY));
    expect(reading.status).toBe("ok");
    expect(reading.reason).toMatch(/journal shows "containerd exited: exit status 2", but containerd.log has no corruption signature/);
  });

  it("a panic from before the last containerd start no longer counts", async () => {
    const reading = await read(probe("journalctl-clean.sh", `${BOLT_PANIC}\n${HEALTHY}\n`));
    expect(reading).toMatchObject({ status: "ok", detail: { signature: null, source: null } });
  });

  it("only the last 256 KiB of containerd.log are read", async () => {
    const noise = `${'time="2025-11-13T10:00:00Z" level=info msg="event published" topic=/tasks/exit\n'.repeat(4_000)}`;
    const reading = await read(probe("journalctl-clean.sh", `panic: invalid page type: 0: 4\n${noise}`));
    expect(reading.status).toBe("ok");
  });

  it("a bolt panic in the journal itself is bad with source journal", async () => {
    const reading = await read(probe("journalctl-with-panic.sh", HEALTHY));
    expect(reading).toMatchObject({ status: "bad", detail: { source: "journal" } });
  });

  it("a missing containerd.log with a readable journal is unknown: k3s writes it, so the path is wrong", async () => {
    const reading = await read(probe("journalctl-clean.sh", null));
    expect(reading).toMatchObject({ status: "unknown", detail: null });
    expect(reading.reason).toMatch(/^cannot tell whether containerd metadata is corrupt: .*containerd\.log unreadable: not found$/);
  });

  it("a journal it cannot read is unknown even when containerd.log is clean: it could not look", async () => {
    const reading = await read(probe("journalctl-denied.sh", HEALTHY));
    expect(reading).toMatchObject({ status: "unknown", detail: null });
    expect(reading.reason).toBe(
      "cannot tell whether containerd metadata is corrupt: the k3s.service journal unreadable: journalctl exited with 1: No journal files were opened due to insufficient permissions.",
    );
  });

  it("a containerd.log it cannot read is unknown even when the journal is clean", async () => {
    const logPath = join(dir, "containerd.log");
    mkdirSync(logPath); // reading a directory fails (EISDIR) even for root, unlike a chmod
    const reading = await read(createK3sLogProbe({ runCommand, journalctl: fixture("journalctl-clean.sh"), unit: "k3s.service", containerdLog: logPath }));
    expect(reading).toMatchObject({ status: "unknown", detail: null });
    expect(reading.reason).toMatch(new RegExp(`^cannot tell whether containerd metadata is corrupt: ${logPath} unreadable: EISDIR`));
  });

  it("a bolt panic in containerd.log is bad even when the journal cannot be read", async () => {
    expect(await read(probe("journalctl-denied.sh", BOLT_PANIC))).toMatchObject({ status: "bad", detail: { source: "containerd.log" } });
  });

  it("an unreadable journal and no containerd.log is unknown", async () => {
    const reading = await read(probe("journalctl-denied.sh", null));
    expect(reading).toMatchObject({ status: "unknown", detail: null });
    expect(reading.reason).toMatch(/journalctl exited with 1: No journal files were opened due to insufficient permissions/);
  });

  it("a missing journalctl and no containerd.log is unknown", async () => {
    const reading = await read(probe("no-such-journalctl", null));
    expect(reading.status).toBe("unknown");
    expect(reading.reason).toMatch(/ENOENT/);
  });

  it("reads the journal since the unit's start attempt, or its last 500 lines", async () => {
    const calls: (readonly string[])[] = [];
    const recording: RunCommand = (argv, options) => {
      calls.push(argv);
      return runCommand(argv, options);
    };
    let startedAt: number | null = Date.UTC(2025, 10, 13, 10, 0, 1);
    const p = probe("journalctl-clean.sh", HEALTHY, { runCommand: recording, unitStartedAt: () => startedAt });
    await read(p);
    startedAt = null;
    await read(p);
    expect(calls[0]?.slice(1)).toEqual(["-u", "k3s.service", "-o", "cat", "--no-pager", "-q", "-b", "--since", "@1763028001", "-n", "2000"]);
    expect(calls[1]?.slice(1)).toEqual(["-u", "k3s.service", "-o", "cat", "--no-pager", "-q", "-b", "-n", "500"]);
  });
});
