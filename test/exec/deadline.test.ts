// The deadline helper: fires at its time even after a garbage collection (the reason it exists:
// on Node 20 `AbortSignal.any([AbortSignal.timeout(ms), other])` can lose its timeout to the
// collector), follows the other signal, and lets go of both when disposed.
import { execFile } from "node:child_process";
import { getEventListeners } from "node:events";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deadline } from "../../src/exec/deadline.js";
import { builtCli } from "../e2e/built-cli.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

// A child node with --expose-gc: one forced collection 50 ms in, then is the 200 ms deadline kept?
const script = (helper: string) => `
import { deadline } from ${JSON.stringify(helper)};
const keep = setInterval(() => {}, 1000);
const other = new AbortController();
const started = Date.now();
let firedAfter = null;
deadline(200, other.signal).signal.addEventListener("abort", () => { firedAfter = Date.now() - started; }, { once: true });
setTimeout(() => globalThis.gc(), 50);
setTimeout(() => { clearInterval(keep); console.log(JSON.stringify({ firedAfter })); }, 1500);
`;

function runWithGc(source: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--expose-gc", "--input-type=module", "-e", source], { timeout: 20_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout));
  });
}

describe("deadline", () => {
  it("fires at its time after a forced garbage collection (built helper, node --expose-gc)", async () => {
    await builtCli(root);
    const helper = pathToFileURL(join(root, "dist", "src", "exec", "deadline.js")).href;
    const { firedAfter } = JSON.parse(await runWithGc(script(helper))) as { firedAfter: number | null };
    expect(firedAfter).not.toBeNull();
    expect(firedAfter!).toBeGreaterThanOrEqual(190);
    expect(firedAfter!).toBeLessThan(1_000);
  }, 200_000);

  it("aborts with a TimeoutError at its time", async () => {
    const limit = deadline(30);
    await new Promise((resolve) => limit.signal.addEventListener("abort", resolve, { once: true }));
    expect((limit.signal.reason as DOMException).name).toBe("TimeoutError");
  });

  it("aborts with the other signal's reason when that fires first, and stops listening to it", async () => {
    const other = new AbortController();
    const limit = deadline(10_000, other.signal);
    other.abort(new Error("stopping"));
    expect(limit.signal.aborted).toBe(true);
    expect((limit.signal.reason as Error).message).toBe("stopping");
  });

  it("starts aborted when the other signal already is", () => {
    const limit = deadline(10_000, AbortSignal.abort("gone"));
    expect(limit.signal.aborted).toBe(true);
    expect(limit.signal.reason).toBe("gone");
  });

  it("after dispose neither the timer nor the other signal aborts it", async () => {
    const other = new AbortController();
    const limit = deadline(20, other.signal);
    limit.dispose();
    limit.dispose();
    await new Promise((resolve) => setTimeout(resolve, 60));
    other.abort();
    expect(limit.signal.aborted).toBe(false);
  });

  it("leaves no listener behind on a long-lived signal once disposed or fired", async () => {
    const other = new AbortController();
    const limits = Array.from({ length: 20 }, () => deadline(10_000, other.signal));
    expect(getEventListeners(other.signal, "abort")).toHaveLength(20);
    for (const limit of limits) limit.dispose();
    expect(getEventListeners(other.signal, "abort")).toHaveLength(0);
    const fired = deadline(10, other.signal);
    await new Promise((resolve) => fired.signal.addEventListener("abort", resolve, { once: true }));
    expect(getEventListeners(other.signal, "abort")).toHaveLength(0);
  });
});
