// Whether Debian's real peers are installed here, and what a real-peer test file does about it.
// In CI (CI=true, as .ci/run runs) a missing binary fails the file: otherwise CI would go green with
// every real-peer test skipped. Elsewhere the file is skipped, and says so, naming the package.
import { accessSync, constants } from "node:fs";
import { describe, it } from "vitest";

/** The binaries the real-peer tests run, each with the Debian package that ships it. */
export const REAL_PEER_BINARIES = {
  dockerd: { path: "/usr/sbin/dockerd", pkg: "docker.io" },
  docker: { path: "/usr/bin/docker", pkg: "docker.io" },
  registry: { path: "/usr/bin/docker-registry", pkg: "docker-registry" },
  containerd: { path: "/usr/bin/containerd", pkg: "containerd" },
  ctr: { path: "/usr/bin/ctr", pkg: "containerd" },
} as const;

export type PeerBinary = keyof typeof REAL_PEER_BINARIES;

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** What a real-peer file does: run; skip (not in CI) or fail (in CI) with a reason naming the package. */
export type PeerGate = { kind: "run" } | { kind: "skip"; reason: string } | { kind: "fail"; reason: string };

/** The gate for `wanted`, given the environment and a way to tell whether a path is executable. */
export function peerGate(
  wanted: readonly PeerBinary[],
  env: NodeJS.ProcessEnv = process.env,
  present: (path: string) => boolean = executable,
): PeerGate {
  const missing = wanted.filter((name) => !present(REAL_PEER_BINARIES[name].path));
  if (missing.length === 0) return { kind: "run" };
  const packages = [...new Set(missing.map((name) => REAL_PEER_BINARIES[name].pkg))].join(" ");
  const paths = missing.map((name) => REAL_PEER_BINARIES[name].path).join(", ");
  const install = `${paths} not installed (apt-get install ${packages})`;
  // CI is "true" on the usual CI services and in .ci/run; "1" is accepted as well.
  return env.CI === "true" || env.CI === "1"
    ? { kind: "fail", reason: `${install}: CI=${env.CI} must run the real-peer tests, not skip them` }
    : { kind: "skip", reason: `skipped: ${install}` };
}

/**
 * describe() that runs `body` only when every binary in `wanted` is installed. Without one, in CI a
 * single test fails with the reason; elsewhere the describe is skipped with the reason in its title,
 * and the reason is printed, since the default reporter shows only a count of skipped tests.
 */
export function describeWithPeers(subject: string, wanted: readonly PeerBinary[], body: () => void): void {
  const gate = peerGate(wanted);
  if (gate.kind === "run") {
    describe(subject, body);
  } else if (gate.kind === "fail") {
    describe(subject, () => {
      it("has the real peers installed", () => {
        throw new Error(gate.reason);
      });
    });
  } else {
    console.warn(`${subject}: ${gate.reason}`);
    describe.skip(`${subject} (${gate.reason})`, body);
  }
}
