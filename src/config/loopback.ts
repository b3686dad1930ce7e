// The registry endpoint is probed and, after a restart, verified over HTTP by a root daemon: a
// `file:` or `javascript:` URL is nonsense, and a remote host would make the node's recovery depend
// on (and leak its probes to) another machine. Only loopback hosts are accepted by default.
import { isIP } from "node:net";

/** True for http(s) URLs whose host is localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackUrl(url: URL): boolean {
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  return isLoopbackHost(url.hostname);
}

/** localhost (and *.localhost), 127.0.0.0/8, ::1, and ::ffff:127.x.y.z. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || /^::ffff:127\./.test(host) || /^::ffff:7f[0-9a-f]{2}:/.test(host);
  return false;
}
