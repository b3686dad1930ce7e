// The API server's answers that are not stored objects: kubelet's stats summary through the node
// proxy (/api/v1/nodes/NAME/proxy/stats/summary) and the metrics API (metrics.k8s.io/v1beta1, as
// k3s's bundled metrics-server serves it). The node model supplies the bodies.

/** What the model answers with; each returns the body, or null for "not found". */
export interface NodeExtras {
  statsSummary(node: string): unknown | null;
  nodeMetrics(): unknown[];
  podMetrics(namespace: string): unknown[];
}

const list = (kind: string, items: unknown[]) => ({ kind, apiVersion: "metrics.k8s.io/v1beta1", metadata: {}, items });

/** The body for a GET of `path`, or undefined when the path is not one of these. */
export function extraAnswer(extras: NodeExtras | undefined, path: string): { code: number; body: unknown } | undefined {
  if (!extras) return undefined;
  // client-node sends the proxied path encoded as one segment (stats%2Fsummary); kubectl sends it plain.
  const proxy = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/(.+)$/.exec(path);
  if (proxy && decodeURIComponent(proxy[2]!) === "stats/summary") {
    const body = extras.statsSummary(decodeURIComponent(proxy[1]!));
    return body === null ? { code: 404, body: { kind: "Status", apiVersion: "v1", status: "Failure", message: `nodes "${proxy[1]}" not found`, reason: "NotFound", code: 404 } } : { code: 200, body };
  }
  if (path === "/apis/metrics.k8s.io/v1beta1/nodes") return { code: 200, body: list("NodeMetricsList", extras.nodeMetrics()) };
  const pods = /^\/apis\/metrics\.k8s\.io\/v1beta1\/namespaces\/([^/]+)\/pods$/.exec(path);
  if (pods) return { code: 200, body: list("PodMetricsList", extras.podMetrics(decodeURIComponent(pods[1]!))) };
  return undefined;
}
