import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createKillallK3s } from "../../src/actions/killall-k3s.js";
import { createRunCommand } from "../../src/exec/run-command.js";
import type { CommandResult, RunCommand, Systemd, UnitProperties } from "../../src/ports.js";
import { printedPid, waitForProcessGone } from "../exec/process-alive.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const command = { kind: "killall-k3s" as const, why: "k3s.service failed after a restart" };
const runCommand = createRunCommand({ killGraceMs: 300 });

/** A hand-written Systemd that records every call and answers jobs as told. */
function fakeSystemd(answers: { stop?: string | Error; start?: string | Error } = {}) {
  const calls: string[] = [];
  const job = (name: string, answer: string | Error | undefined) => async (unit: string, signal: AbortSignal) => {
    calls.push(`${name} ${unit}${signal.aborted ? " (already aborted)" : ""}`);
    if (answer instanceof Error) throw answer;
    return answer ?? "done";
  };
  const systemd: Systemd = {
    unitProperties: async (): Promise<UnitProperties> => {
      throw new Error("not used");
    },
    startUnit: job("start", answers.start),
    stopUnit: job("stop", answers.stop),
    restartUnit: job("restart", "done"),
    resetFailedUnit: async () => undefined,
    onUnitChange: () => () => undefined,
    close: async () => undefined,
  };
  return { systemd, calls };
}

function killallAction(systemd: Systemd, script: string, timeoutMs = 5_000) {
  return createKillallK3s({ systemd, unit: "k3s.service", killall: fixture(script), runCommand, timeoutMs });
}

describe("killall-k3s (stop k3s, run k3s-killall.sh, start k3s)", () => {
  it("stops k3s, runs killall and starts k3s, in that order", async () => {
    const { systemd, calls } = fakeSystemd();
    const report = await killallAction(systemd, "killall-succeeds.sh").run(command, AbortSignal.timeout(10_000));
    expect(calls).toEqual(["stop k3s.service", "start k3s.service"]);
    expect(report.ok).toBe(true);
    expect(report.detail).toMatch(/^stop k3s.service: done; .*killall-succeeds.sh: exit 0 in [\d.]+ s; start k3s.service: done$/);
    expect(report.touched).toEqual(["k3s.service", fixture("killall-succeeds.sh")]);
  });

  it("runs killall even when the stop fails, since that is what killall is for", async () => {
    const { systemd, calls } = fakeSystemd({ stop: new Error("Connection timed out waiting for JobRemoved") });
    const report = await killallAction(systemd, "killall-succeeds.sh").run(command, AbortSignal.timeout(10_000));
    expect(calls).toEqual(["stop k3s.service", "start k3s.service"]);
    expect(report.ok).toBe(true);
    expect(report.detail).toMatch(/stop k3s.service: error: Connection timed out/);
  });

  it("still starts k3s when killall fails, and reports not ok with killall's complaint", async () => {
    const { systemd, calls } = fakeSystemd();
    const report = await killallAction(systemd, "killall-fails.sh").run(command, AbortSignal.timeout(10_000));
    expect(calls).toEqual(["stop k3s.service", "start k3s.service"]);
    expect(report.ok).toBe(false);
    expect(report.detail).toMatch(/failed \(exit 32\) in [\d.]+ s: umount: .*target is busy\./);
  });

  it("kills a hung killall with its whole process group, then still starts k3s", async () => {
    const { systemd, calls } = fakeSystemd();
    const results: CommandResult[] = [];
    const recording: RunCommand = async (argv, options) => {
      const result = await runCommand(argv, options);
      results.push(result);
      return result;
    };
    const action = createKillallK3s({ systemd, unit: "k3s.service", killall: fixture("killall-hangs.sh"), runCommand: recording, timeoutMs: 300 });
    const report = await action.run(command, AbortSignal.timeout(10_000));
    expect(calls).toEqual(["stop k3s.service", "start k3s.service"]);
    expect(report.ok).toBe(false);
    expect(report.detail).toMatch(/timed out after [\d.]+ s, its process group killed/);
    // The script's hung child went with it: nothing of the killall keeps running.
    expect(await waitForProcessGone(printedPid(results[0]?.stdout ?? "", "grandchild"), 2_000)).toBe(true);
  });

  it("starts k3s even when the action's own deadline has passed", async () => {
    const { systemd, calls } = fakeSystemd();
    const deadline = new AbortController();
    const pending = killallAction(systemd, "killall-hangs.sh", 60_000).run(command, deadline.signal);
    setTimeout(() => deadline.abort(), 200);
    const report = await pending;
    expect(calls).toEqual(["stop k3s.service", "start k3s.service"]);
    expect(report.ok).toBe(false);
  });

  it("a missing killall script is refused before k3s is stopped: nothing is touched", async () => {
    const { systemd, calls } = fakeSystemd();
    const report = await killallAction(systemd, "no-such-killall.sh").run(command, AbortSignal.timeout(10_000));
    expect(calls).toEqual([]);
    expect(report).toEqual({ ok: false, touched: [], detail: `refused to run ${fixture("no-such-killall.sh")} as root, so k3s.service was not stopped: ${fixture("no-such-killall.sh")} does not exist` });
  });

  it("a killall script that others can write is refused just before the run, and k3s is not stopped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "swd-killall-"));
    const script = join(dir, "k3s-killall.sh");
    writeFileSync(script, "#!/bin/sh\nexit 0\n");
    chmodSync(script, 0o757);
    const { systemd, calls } = fakeSystemd();
    const report = await createKillallK3s({ systemd, unit: "k3s.service", killall: script, runCommand, timeoutMs: 5_000 }).run(command, AbortSignal.timeout(10_000));
    expect(calls).toEqual([]);
    expect(report.ok).toBe(false);
    expect(report.detail).toBe(`refused to run ${script} as root, so k3s.service was not stopped: ${script} (file) is writable by others (mode 0757)`);
  });

  it("past the action's deadline it reports every step so far within the loop's grace, while the start job goes on", async () => {
    const { systemd, calls } = fakeSystemd();
    let finishStart: (result: string) => void = () => undefined;
    systemd.startUnit = async (unit) => {
      calls.push(`start ${unit}`);
      return new Promise<string>((resolve) => (finishStart = resolve));
    };
    const deadline = new AbortController();
    const pending = killallAction(systemd, "killall-hangs.sh", 60_000).run(command, deadline.signal);
    setTimeout(() => deadline.abort(), 200);
    const startedAt = Date.now();
    const report = await pending;
    finishStart("done");
    // The loop stops waiting 5 s after the deadline and would record only "did not finish".
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(calls).toEqual(["stop k3s.service", "start k3s.service"]);
    expect(report.ok).toBe(false);
    expect(report.detail).toMatch(/^stop k3s.service: done; .*killall-hangs.sh: timed out after [\d.]+ s, its process group killed; start k3s.service: requested; no result before the deadline \(systemd carries the job on\)$/);
    expect(report.touched).toEqual(["k3s.service", fixture("killall-hangs.sh")]);
  });

  it("a start job that fails makes the action not ok", async () => {
    const { systemd } = fakeSystemd({ start: "failed" });
    const report = await killallAction(systemd, "killall-succeeds.sh").run(command, AbortSignal.timeout(10_000));
    expect(report.ok).toBe(false);
    expect(report.detail).toMatch(/start k3s.service: failed$/);
  });
});
