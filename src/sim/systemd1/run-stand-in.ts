// Runs a private bus with the systemd1 stand-in serving one always-healthy k3s.service, until
// Ctrl-C: `npm run build && node dist/src/sim/systemd1/run-stand-in.js [dir]` (docs/systemd.md).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPrivateBus } from "./private-bus.js";
import { serveSystemd1 } from "./serve.js";
import { createStaticUnit } from "./static-unit.js";

/** Starts bus and stand-in in `dir` (a new temp dir when absent) and stops both on SIGINT/SIGTERM. */
export async function runStandIn(dir?: string): Promise<void> {
  const workDir = dir ?? mkdtempSync(join(tmpdir(), "systemd1-stand-in-"));
  const bus = await startPrivateBus(workDir);
  const served = await serveSystemd1(bus.address, [createStaticUnit("k3s.service")]);
  process.stdout.write(`systemd1 stand-in on ${bus.address}\n`);
  process.stdout.write(`try: busctl --address=${bus.address} introspect org.freedesktop.systemd1 /org/freedesktop/systemd1/unit/k3s_2eservice\n`);
  const stop = async (): Promise<void> => {
    await served.close();
    await bus.stop();
    if (dir === undefined) rmSync(workDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

if (process.argv[1]?.endsWith("run-stand-in.js")) {
  runStandIn(process.argv[2]).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
