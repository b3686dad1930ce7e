// Which Node object is this host's. k3s registers the node under the host name, lower-cased (Kubernetes
// names are lower-case), unless it was started with --node-name; config `nodeName` covers that case.
// Node objects left by a renamed host or an old agent are someone else's and never drive the ladder.
import { hostname } from "node:os";

/** The node name to judge: the configured one, else the host name as k3s registers it. */
export function ownNodeName(configured: string | null, hostName: string = hostname()): string {
  return configured ?? hostName.trim().toLowerCase();
}
