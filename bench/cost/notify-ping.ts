// What one WATCHDOG=1 costs: the daemon's notifier (src/systemd/notify.ts) spawns systemd-notify for
// each. Measured in a process that first loads the daemon's modules and holds a heap the size of the
// daemon's at 5,000 pods (spawning forks the parent, so its size matters), against a NOTIFY_SOCKET
// receiver of ours. Prints the parent's CPU and the children's CPU per ping, and per minute at the
// shipped unit's WatchdogSec=30s (a ping every 15 s).
// Usage: node dist/bench/cost/notify-ping.js [pings, default 40]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createNotifier } from "../../src/systemd/notify.js";
import { startNotifyReceiver } from "./notify-receiver.js";
import { readCpuTimes } from "./proc-stats.js";

/** CPU per ping, in ms: the parent's own and its reaped children's. */
export interface PingCost {
  pings: number;
  delivered: number;
  parentMsPerPing: number;
  childMsPerPing: number;
}

/** Send `pings` WATCHDOG=1 one after another through the daemon's notifier. */
export async function measurePings(pings: number): Promise<PingCost> {
  const dir = mkdtempSync(join(tmpdir(), "songnodes-bench-notify-"));
  const receiver = await startNotifyReceiver(dir);
  try {
    await import("../../src/daemon/daemon.js");
    // About the daemon's heap at 5,000 pods: 5,000 pod-sized objects kept alive.
    const ballast = Array.from({ length: 5_000 }, (_, i) => ({ name: `web-${i}`, labels: { app: "web", i: String(i) }, body: "x".repeat(4_000) }));
    const notifier = createNotifier({ env: { NOTIFY_SOCKET: receiver.path } });
    await notifier.watchdog();
    const before = readCpuTimes(process.pid);
    for (let i = 0; i < pings; i++) await notifier.watchdog();
    const after = readCpuTimes(process.pid);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const delivered = receiver.datagrams().filter((d) => d.text.includes("WATCHDOG=1")).length - 1;
    void ballast.length;
    return { pings, delivered, parentMsPerPing: (after.ownMs - before.ownMs) / pings, childMsPerPing: (after.childrenMs - before.childrenMs) / pings };
  } finally {
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const cost = await measurePings(Number(process.argv[2] ?? 40));
  const perMin = (ms: number) => (ms * 60_000) / 15_000;
  console.log(`${cost.delivered} of ${cost.pings} WATCHDOG=1 delivered; per ping: daemon ${cost.parentMsPerPing.toFixed(2)} ms CPU, systemd-notify ${cost.childMsPerPing.toFixed(2)} ms CPU`);
  console.log(`at WatchdogSec=30s (a ping every 15 s): ${perMin(cost.parentMsPerPing).toFixed(1)} + ${perMin(cost.childMsPerPing).toFixed(1)} ms CPU a minute`);
  process.exit(0);
}
