import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createRunCommand, runCommand } from "../../src/exec/run-command.js";
import { isProcessAlive, printedPid, waitForProcessGone } from "./process-alive.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const strays: number[] = [];
const remember = (pid: number) => {
  strays.push(pid);
  return pid;
};

afterEach(() => {
  // A failing test must not leave sleeps behind.
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

describe("runCommand", () => {
  it("reports the exit code and both streams of a program that exits by itself", async () => {
    const result = await runCommand([fixture("exit-with.sh"), "3"], { timeoutMs: 5_000 });
    expect(result).toMatchObject({ exitCode: 3, signal: null, timedOut: false, spawnError: null });
    expect(result.stdout).toBe("out: exiting with 3\n");
    expect(result.stderr).toBe("err: exiting with 3\n");
  });

  it("passes arguments as an array, never through a shell", async () => {
    const result = await runCommand(["/bin/echo", "$HOME; rm -rf /", "*"], { timeoutMs: 5_000 });
    expect(result.stdout).toBe("$HOME; rm -rf / *\n");
  });

  it("reports the signal of a program killed by one", async () => {
    const result = await runCommand([fixture("kills-itself.sh")], { timeoutMs: 5_000 });
    expect(result).toMatchObject({ exitCode: null, signal: "SIGTERM", timedOut: false });
  });

  it("kills the whole process group on timeout, grandchild included", async () => {
    const run = createRunCommand({ killGraceMs: 500 });
    const result = await run([fixture("grandchild-sleeps.sh")], { timeoutMs: 300 });
    const grandchild = remember(printedPid(result.stdout, "grandchild"));
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe("SIGTERM");
    expect(await waitForProcessGone(grandchild, 2_000)).toBe(true);
  });

  it("escalates to SIGKILL when the group ignores SIGTERM", async () => {
    const run = createRunCommand({ killGraceMs: 300 });
    const result = await run([fixture("ignores-term.sh")], { timeoutMs: 300 });
    const grandchild = remember(printedPid(result.stdout, "grandchild"));
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe("SIGKILL");
    expect(await waitForProcessGone(grandchild, 2_000)).toBe(true);
  });

  it("treats the caller's abort as running out of time and kills the group", async () => {
    const controller = new AbortController();
    const pending = runCommand([fixture("grandchild-sleeps.sh")], { timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const result = await pending;
    const grandchild = remember(printedPid(result.stdout, "grandchild"));
    expect(result.timedOut).toBe(true);
    expect(await waitForProcessGone(grandchild, 3_000)).toBe(true);
  });

  it("does not start a program when the deadline has already passed", async () => {
    const result = await runCommand([fixture("exit-with.sh"), "0"], { timeoutMs: 5_000, signal: AbortSignal.abort() });
    expect(result.timedOut).toBe(true);
    expect(result.stdout).toBe("");
    expect(result.spawnError).toMatch(/not started/);
  });

  it("kills what a finished program left behind holding its output", async () => {
    const run = createRunCommand({ drainGraceMs: 100, killGraceMs: 300 });
    const result = await run([fixture("leaves-orphan.sh")], { timeoutMs: 10_000 });
    const orphan = remember(printedPid(result.stdout, "orphan"));
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.stderr).toMatch(/left behind/);
    expect(await waitForProcessGone(orphan, 2_000)).toBe(true);
  });

  it("reports a missing program as a spawn error, not a throw", async () => {
    const result = await runCommand(["/usr/local/bin/no-such-k3s-killall.sh"], { timeoutMs: 5_000 });
    expect(result.spawnError).toMatch(/not found \(ENOENT\)/);
    expect(result.exitCode).toBeNull();
  });

  it("reports a program without the execute bit as a spawn error", async () => {
    const result = await runCommand([fixture("not-executable.sh")], { timeoutMs: 5_000 });
    expect(result.spawnError).toMatch(/EACCES/);
  });

  it("refuses an empty argv and a timeout that is not positive", async () => {
    expect((await runCommand([], { timeoutMs: 5_000 })).spawnError).toMatch(/empty argv/);
    expect((await runCommand(["/bin/true"], { timeoutMs: 0 })).spawnError).toMatch(/timeoutMs must be a positive number.*got 0/);
  });

  it("keeps the tail of a huge output within the cap", async () => {
    const result = await runCommand([fixture("huge-output.sh")], { timeoutMs: 20_000 });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBeLessThan(1_048_576 + 100);
    // 3 MiB of x, a newline and "LAST LINE\n": everything before the last 1 MiB is dropped.
    expect(result.stdout.startsWith(`[… ${3_145_728 + 11 - 1_048_576} earlier bytes dropped …]\n`)).toBe(true);
    expect(result.stdout.endsWith("\nLAST LINE\n")).toBe(true);
  });

  it("adds the given environment to the daemon's own", async () => {
    const result = await runCommand([fixture("print-env.sh")], { timeoutMs: 5_000, env: { WATCHDOG_TEST_VALUE: "42" } });
    expect(result.stdout).toBe("value=42\npath kept\n");
  });

  it("leaves no process running after a normal exit", async () => {
    const result = await runCommand(["/bin/sh", "-c", "echo $$"], { timeoutMs: 5_000 });
    expect(isProcessAlive(Number(result.stdout.trim()))).toBe(false);
  });
});
