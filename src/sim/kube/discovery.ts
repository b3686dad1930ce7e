// Legacy discovery (/api, /api/v1, /apis, /apis/<group>/<version>) and /version. kubectl 1.32 asks
// for aggregated discovery first (Accept …;as=APIGroupDiscoveryList) and falls back to these
// documents when the answer's Content-Type is plain application/json, so legacy is all it needs.
import { API_GROUPS, RESOURCES, VERBS, groupVersion, type ServedFilter } from "./resources.js";

/** What /version reports: a k3s server of the line SongNodes runs. */
export const SIM_VERSION = {
  major: "1",
  minor: "31",
  gitVersion: "v1.31.4+k3s1",
  gitCommit: "a562d090b0e1f5b6ff2fe1a4d6d4f7d3b3b9b8c1",
  gitTreeState: "clean",
  buildDate: "2024-12-19T00:00:00Z",
  goVersion: "go1.22.9",
  compiler: "gc",
  platform: "linux/amd64",
};

/** The discovery document for `path`, or undefined when `path` is not a discovery path. */
export function discoveryDocument(path: string, serverAddress: string, served: ServedFilter = () => true): object | undefined {
  if (path === "/api") {
    return {
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
    };
  }
  if (path === "/apis") {
    return {
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: API_GROUPS.filter((name) => RESOURCES.some((x) => x.group === name && served(x))).map((name) => {
        const v = RESOURCES.find((x) => x.group === name)?.version ?? "v1";
        const version = { groupVersion: `${name}/${v}`, version: v };
        return { name, versions: [version], preferredVersion: version };
      }),
    };
  }
  const m = /^\/(?:api\/(v1)|apis\/([a-z.]+)\/(v\d+))$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? "";
  const inGroup = RESOURCES.filter((x) => x.group === group && x.version === (m[3] ?? "v1") && served(x));
  if (inGroup.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: groupVersion(inGroup[0]!),
    resources: inGroup.map((x) => ({
      name: x.name,
      singularName: x.singularName,
      namespaced: x.namespaced,
      kind: x.kind,
      verbs: VERBS,
      ...(x.shortNames.length > 0 ? { shortNames: x.shortNames } : {}),
      ...(x.categories.length > 0 ? { categories: x.categories } : {}),
    })),
  };
}
