// The served node's verdict in the daemon's own words: the daemon's probes read the model and the
// one verdict function (src/core/verdict.ts) judges them, so GET /v1/node says what `status`,
// `check` and /metrics say about the same node, cause included.
import { parseConfig } from "../../config/load.js";
import { stampObservations, type Readings } from "../../core/observe.js";
import { PROBE_NAMES } from "../../core/types.js";
import { nodeVerdict, type NodeVerdict } from "../../core/verdict.js";
import type { SongNodesNode } from "../model/songnodes-node.js";
import { createSimProbes } from "../ports/sim-probes.js";

/** Reads the model through the daemon's probes and returns its verdict. */
export function createModelVerdict(node: SongNodesNode): () => Promise<NodeVerdict> {
  const probes = createSimProbes(node, parseConfig({}));
  return async () => {
    const readings = Object.fromEntries(await Promise.all(PROBE_NAMES.map(async (name) => [name, await probes[name].read(new AbortController().signal)]))) as Readings;
    return nodeVerdict(stampObservations(null, readings, node.now()));
  };
}
