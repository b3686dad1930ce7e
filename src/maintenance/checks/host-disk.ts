// Daily: disk space on the host (/, k3s's data directory with its local-path volumes, the
// registry's storage), and a warning before kubelet's own eviction threshold is reached.
import type { MaintenanceConfig } from "../../config/maintenance-schema.js";
import { failed, type FilesystemUsage, type HostFilesystem, type ReadFailure } from "../ports.js";
import { fromFindings, type CheckResult, type Finding, type MaintenanceCheck } from "../types.js";

/** df's Use%: used / (used + available), rounded up as df does. */
export function usedPercent(usage: FilesystemUsage): number {
  const used = usage.totalBytes - usage.freeBytes;
  const base = used + usage.availableBytes;
  return base <= 0 ? 0 : Math.ceil((used / base) * 100);
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** Judge each path's usage against the thresholds. */
export function interpretHostDisk(readings: readonly { path: string; usage: FilesystemUsage | ReadFailure }[], limits: MaintenanceConfig["disk"]): CheckResult {
  const findings: Finding[] = [];
  const fine: string[] = [];
  for (const { path, usage } of readings) {
    const next = `df -h ${path} && sudo du -xh --max-depth=2 ${path} | sort -h | tail`;
    if (failed(usage)) {
      findings.push({ key: `disk:${path}:unknown`, level: "unknown", text: `cannot read ${path}: ${usage.error}`, next: `df -h ${path}` });
      continue;
    }
    const used = usedPercent(usage);
    const availablePercent = usage.totalBytes > 0 ? (usage.availableBytes / usage.totalBytes) * 100 : 0;
    const text = `${path} ${used} % used (${gib(usage.availableBytes)} free of ${gib(usage.totalBytes)})`;
    const kubelet = path === limits.kubeletPath;
    if (used >= limits.critPercent || (kubelet && availablePercent < limits.evictionAvailablePercent)) {
      const eviction = kubelet && availablePercent < limits.evictionAvailablePercent ? `; below kubelet's eviction threshold of ${limits.evictionAvailablePercent} % free: it evicts pods and images` : "";
      findings.push({ key: `disk:${path}:crit`, level: "crit", text: `${text}${eviction}`, next });
    } else if (used >= limits.warnPercent || (kubelet && availablePercent < limits.evictionAvailablePercent + limits.evictionMarginPercent)) {
      const eviction = kubelet && used < limits.warnPercent ? `; kubelet starts evicting at ${limits.evictionAvailablePercent} % free` : "";
      findings.push({ key: `disk:${path}:warn`, level: "warn", text: `${text}${eviction}`, next });
    } else {
      fine.push(`${path} ${used} %`);
    }
  }
  return fromFindings(findings, `disk space fine: ${fine.join(", ")}`);
}

/** The check. */
export function createHostDiskCheck(deps: { host: HostFilesystem; limits: MaintenanceConfig["disk"] }): MaintenanceCheck {
  return {
    name: "host-disk",
    cadence: "daily",
    async run() {
      const readings = await Promise.all(deps.limits.paths.map(async (path) => ({ path, usage: await deps.host.usage(path) })));
      return interpretHostDisk(readings, deps.limits);
    },
  };
}
