// Whether Debian's real peers are installed here. The real-peer tests skip only when a binary is
// absent, and then say in their title which package to install; CI installs them (.ci/run).
import { accessSync, constants } from "node:fs";

/** The binaries the real-peer tests run, each with the Debian package that ships it. */
export const REAL_PEER_BINARIES = {
  dockerd: { path: "/usr/sbin/dockerd", pkg: "docker.io" },
  docker: { path: "/usr/bin/docker", pkg: "docker.io" },
  registry: { path: "/usr/bin/docker-registry", pkg: "docker-registry" },
  containerd: { path: "/usr/bin/containerd", pkg: "containerd" },
  ctr: { path: "/usr/bin/ctr", pkg: "containerd" },
} as const;

type Binary = keyof typeof REAL_PEER_BINARIES;

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** null when every binary is there, else the reason to put in the skipped describe's title. */
export function missingPeers(...wanted: Binary[]): string | null {
  const missing = wanted.filter((name) => !executable(REAL_PEER_BINARIES[name].path));
  if (missing.length === 0) return null;
  const packages = [...new Set(missing.map((name) => REAL_PEER_BINARIES[name].pkg))];
  const paths = missing.map((name) => REAL_PEER_BINARIES[name].path).join(", ");
  return `skipped: ${paths} not installed (apt-get install ${packages.join(" ")})`;
}

/** The describe title: the subject, with the skip reason appended when a peer is missing. */
export function titled(subject: string, missing: string | null): string {
  return missing === null ? subject : `${subject} (${missing})`;
}
