// Finding and removing mounts the tests made (the overlay root, bind mounts, debootstrap's /proc),
// so nothing is left behind even after a failed or interrupted run.
import { readFileSync } from "node:fs";
import { run } from "./exec.mjs";

/** Mount points at or below `path`, deepest first (the order to unmount them in). */
export function mountsUnder(path) {
  const prefix = path.replace(/\/+$/, "");
  let text = "";
  try {
    text = readFileSync("/proc/self/mountinfo", "utf8");
  } catch {
    return [];
  }
  const points = text
    .split("\n")
    .map((line) => line.split(" ")[4])
    .filter((point) => point !== undefined)
    .map((point) => point.replace(/\\(\d{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point === prefix || point.startsWith(`${prefix}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Unmount everything at or below `path`; a busy mount is detached lazily rather than left. */
export async function unmountUnder(path) {
  for (let pass = 0; pass < 5; pass += 1) {
    const points = mountsUnder(path);
    if (points.length === 0) return;
    for (const point of points) {
      const result = await run(["umount", point], { timeoutMs: 10_000 });
      if (result.code !== 0) await run(["umount", "--lazy", point], { timeoutMs: 10_000 });
    }
  }
}
