// Running host programs for the system tests: argument arrays (never a shell), a timeout on every
// call, and the whole process group killed when it runs out (a grandchild would keep pipes open).
import { spawn } from "node:child_process";

/** Run `argv`; resolves with { code, signal, stdout, stderr, timedOut } and never rejects. */
export function run(argv, { timeoutMs = 30_000, input, env } = {}) {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(argv[0], argv.slice(1), { detached: true, env: env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    } catch (error) {
      resolve({ code: null, signal: null, stdout: "", stderr: String(error), timedOut: false });
      return;
    }
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdin.on("error", () => {});
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, "SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: stderr + String(error), timedOut });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    child.stdin.end(input ?? "");
  });
}

/** Like run(), but throws with the program's output when it does not exit 0. */
export async function runOk(argv, options = {}) {
  const result = await run(argv, options);
  if (result.code !== 0) {
    const why = result.timedOut ? `timed out after ${options.timeoutMs ?? 30_000} ms` : `exit ${result.code ?? result.signal}`;
    throw new Error(`${argv.join(" ")}: ${why}\n${result.stderr.trim()}\n${result.stdout.trim()}`.trim());
  }
  return result;
}

/** Kill a process group, ignoring one that is already gone. */
export function killGroup(pid, signal = "SIGKILL") {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Wait until `check()` returns a truthy value (returned), or throw `what` after `timeoutMs`. */
export async function waitFor(what, check, { timeoutMs = 30_000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last: ${typeof last === "string" ? last : JSON.stringify(last)})` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
