// /healthz, /livez and /readyz as kube-apiserver answers them: "ok" (200) or a failed-check list
// (500); `?verbose` lists every check. The daemon's API probe reads only the status code.

const CHECKS = ["ping", "log", "etcd", "poststarthook/start-apiserver-admission-initializer", "poststarthook/generic-apiserver-start-informers", "poststarthook/start-kube-apiserver-admission-initializer"];
const READY_ONLY = ["etcd-readiness", "informer-sync", "shutdown"];

/** True when `path` is one of the health endpoints (anonymous access, as k3s allows). */
export function isHealthPath(path: string): boolean {
  return path === "/healthz" || path === "/livez" || path === "/readyz";
}

/** Status code and plain-text body for a health endpoint; `etcdFailing` as in the error500 fault mode. */
export function healthAnswer(path: string, verbose: boolean, etcdFailing: boolean): { code: number; body: string } {
  const name = path.slice(1);
  const checks = path === "/readyz" ? [...CHECKS, ...READY_ONLY] : CHECKS;
  const failing = (check: string) => etcdFailing && check.startsWith("etcd");
  const failed = checks.some(failing);
  const lines = checks.map((c) => (failing(c) ? `[-]${c} failed: reason withheld` : `[+]${c} ok`));
  if (!failed) return { code: 200, body: verbose ? `${lines.join("\n")}\n${name} check passed\n` : "ok" };
  // A failing check is always listed, verbose or not, as the real server does.
  return { code: 500, body: `${lines.join("\n")}\n${name} check failed\n` };
}
