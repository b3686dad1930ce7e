// Running the build's tools (npm, tar, dpkg-deb) with execa: argument arrays, never a shell, a
// timeout on each, and the tool's own output in the error when it fails.
import { execa } from "execa";

/** Run `argv`; resolves with stdout, throws naming the command and its output when it fails. */
export async function run(argv, { cwd, env, timeoutMs = 10 * 60_000 } = {}) {
  const [program, ...args] = argv;
  const result = await execa(program, args, { cwd, env, timeout: timeoutMs, reject: false, stdin: "ignore", all: true });
  if (result.failed) {
    const why = result.timedOut ? `timed out after ${timeoutMs} ms` : result.shortMessage;
    throw new Error(`${argv.join(" ")}: ${why}\n${String(result.all ?? "").trim().split("\n").slice(-30).join("\n")}`);
  }
  return String(result.stdout);
}

/** PATH with `dir` first, so `npm` (#!/usr/bin/env node) and node-gyp run on that runtime. */
export function pathWith(dir) {
  return `${dir}:${process.env.PATH ?? "/usr/bin:/bin"}`;
}
