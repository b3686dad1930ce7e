// Which resource, namespace and object a REST path names:
//   /api/v1/<resource>[/<name>]                  (cluster-scoped, or namespaced across all namespaces)
//   /api/v1/namespaces/<ns>/<resource>[/<name>]  and the same under /apis/<group>/<version>/.
import { findResource, type ResourceInfo, type ServedFilter } from "./resources.js";

/** What a resource path points at; `name` null for a collection, `namespace` null for all namespaces. */
export interface ResourceTarget {
  info: ResourceInfo;
  namespace: string | null;
  name: string | null;
}

/** Parse `path` into a target; undefined when it names no resource this server serves. */
export function parseResourcePath(path: string, served?: ServedFilter): ResourceTarget | undefined {
  const parts = path.split("/").filter((p) => p !== "").map((p) => decodeURIComponent(p));
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 3) {
    [group, version, rest] = ["", parts[1]!, parts.slice(2)];
  } else if (parts[0] === "apis" && parts.length >= 4) {
    [group, version, rest] = [parts[1]!, parts[2]!, parts.slice(3)];
  } else {
    return undefined;
  }
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const info = findResource(group, version, rest[2]!, served);
    if (!info || !info.namespaced || rest.length > 4) return undefined;
    return { info, namespace: rest[1]!, name: rest[3] ?? null };
  }
  const info = findResource(group, version, rest[0]!, served);
  if (!info || rest.length > 2) return undefined;
  // A namespaced resource has no per-name path outside a namespace.
  if (info.namespaced && rest.length === 2) return undefined;
  return { info, namespace: null, name: rest[1] ?? null };
}
