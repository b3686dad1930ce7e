// The end-to-end test runs the shipped entry point, dist/src/cli.js: compile first when it is
// missing or older than any source file. tsc still emits when another file has a type error, so
// the outcome is judged by the files the test needs, not by tsc's exit code.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Path of dist/src/cli.js under `root`, built when stale. */
export async function builtCli(root: string): Promise<string> {
  const cli = join(root, "dist", "src", "cli.js");
  const needed = [cli, join(root, "dist", "src", "sim", "serve", "serve-node.js")];
  const stale = needed.some((file) => !existsSync(file)) || statSync(cli).mtimeMs < newestSource(join(root, "src"));
  if (!stale) return cli;
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const said = await new Promise<string>((resolve) => {
    execFile(process.execPath, [tsc, "-p", join(root, "tsconfig.json")], { cwd: root, timeout: 180_000, killSignal: "SIGKILL" }, (_error, stdout, stderr) => resolve(`${stdout}${stderr}`));
  });
  const missing = needed.filter((file) => !existsSync(file));
  if (missing.length > 0) throw new Error(`npm run build did not produce ${missing.join(", ")}:\n${said.slice(-3000)}`);
  return cli;
}
