// `songnodes-watchdog check` (the built CLI) against a simulated node served in-process: exit 0 on a
// healthy node; on a broken one, exit 1 with the symptom, the remedy the ladder would take, and
// every pod with the status the daemon derived.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveSimulatedNode, type ServedNode } from "../../src/sim/serve/serve-node.js";

const cli = join(process.cwd(), "dist/src/cli.js");

function check(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, "check", ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as NodeJS.ErrnoException & { code?: number }).code as number) ?? 1 : 0, stdout, stderr });
    });
  });
}

/** The first value `look` returns, polling every 250 ms. */
async function until<T>(what: string, look: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await look();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("check against a simulated node", () => {
  let served: ServedNode;

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build (npm test does it first)`);
    // Node time 02:30, between the hourly CronJobs, so no Job pod is running.
    served = await serveSimulatedNode({ outDir: mkdtempSync(join(tmpdir(), "swd-check-")), speed: 20, startAt: Date.parse("2026-11-26T02:30:00Z") });
  });

  afterAll(async () => {
    await served?.stop();
  });

  it("a healthy node: every probe ok, exit 0", async () => {
    const result = await check("--config", served.paths.configPath, "--json");
    const report = JSON.parse(result.stdout);
    expect(result.code).toBe(0);
    expect(report.verdict).toBe("healthy");
    expect(Object.values(report.probes).map((p: any) => p.status)).toEqual(Array(7).fill("ok"));
    expect(report.pods.map((p: any) => p.name)).toContain("postgres-0");
  });

  it("registry down and a pod stuck Unknown: exit 1, restart-registry chosen, the Unknown pod to delete", async () => {
    served.inject({ fault: "registry-down", fixedByRestart: true });
    served.inject({ fault: "pods-unknown", kind: "containers-unknown", workloads: ["frontend"] });
    // A rest-api pod replaced while the registry is down cannot pull its image.
    const restApi = served.node.store.list("pods", "songnodes").items.find((p) => p.metadata.name.startsWith("rest-api-"))!;
    served.node.store.requestDelete("pods", "songnodes", restApi.metadata.name, { gracePeriodSeconds: 0 });
    // Assert on the very report that shows both: at ×20 the kubelet's pull back-off retries within a
    // second, and a pod pulling afresh is (rightly) no registry symptom.
    const { result, report } = await until("a report with an Unknown pod and an ImagePullBackOff pod", async () => {
      const result = await check("--config", served.paths.configPath, "--json");
      const report = JSON.parse(result.stdout);
      const both = report.pods.some((p: any) => p.display === "Unknown") && report.pods.some((p: any) => p.display === "ImagePullBackOff" || p.display === "ErrImagePull");
      return both ? { result, report } : undefined;
    });
    expect(result.code).toBe(1);
    expect(report.verdict).toBe("unhealthy");
    expect(report.probes.registry.status).toBe("bad");
    expect(report.symptoms[0]).toMatchObject({ symptom: "registry-down", remedy: "restart-registry" });
    expect(report.remedy).toBe("restart-registry");
    const frontend = report.pods.find((p: any) => p.name.startsWith("frontend-"));
    expect(frontend).toMatchObject({ display: "Unknown", unknown: "containers-unknown", remedy: { action: "delete" } });
    expect(report.pods.find((p: any) => p.name === "postgres-0").remedy).toBeNull();
    const human = await check("--config", served.paths.configPath);
    expect(human.stdout).toMatch(/frontend-\S+ +Unknown .* delete/);
    expect(human.stdout).not.toMatch(/365d/);
  });

  it("an invalid config exits 78 and names the key", async () => {
    const bad = join(mkdtempSync(join(tmpdir(), "swd-check-bad-")), "config.yaml");
    writeFileSync(bad, "registry:\n  dockerSocket: 12\n");
    const result = await check("--config", bad);
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/registry\.dockerSocket/);
  });
});
