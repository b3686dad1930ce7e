// In-process cost of one evaluation at 50, 500 and 5,000 pods: podView over the pods' JSON (what
// the watch cache hands the probe), interpretPods, then the real core's step(). The pods are the
// model's own rendered pods, copied under new names and uids, one in ten not ready.
import { parseConfig } from "../../src/config/load.js";
import { stampObservations, type Readings } from "../../src/core/observe.js";
import { initialState } from "../../src/core/state.js";
import { step } from "../../src/core/step.js";
import type { PodJson } from "../../src/kube/pod-json.js";
import { podView } from "../../src/kube/pod-view.js";
import { interpretPods } from "../../src/probes/pods.js";
import { createSimProbes } from "../../src/sim/ports/sim-probes.js";
import { createSongNodesNode } from "../../src/sim/model/songnodes-node.js";
import type { ProbeSet } from "../../src/daemon/read-probes.js";
import { readProbes } from "../../src/daemon/read-probes.js";

/** Evaluation time at one pod count, ms per evaluation. */
export interface EvaluationCost {
  pods: number;
  medianMs: number;
  p95Ms: number;
  runs: number;
}

/** Measure `runs` evaluations at each of `counts` pods. */
export async function measureEvaluation(counts: number[], runs = 40): Promise<EvaluationCost[]> {
  const config = parseConfig({}, "bench");
  const start = Date.parse("2025-11-14T10:30:00Z");
  const node = createSongNodesNode({ start, seed: 1, initial: "healthy" });
  const readings = await readProbes(createSimProbes(node, config) as ProbeSet, 5_000);
  const templates = node.store.list("pods", node.namespace).items as unknown as PodJson[];
  const options = { localRegistryPrefix: config.registry.imagePrefix };
  const results: EvaluationCost[] = [];
  for (const count of counts) {
    const pods: PodJson[] = [];
    for (let i = 0; i < count; i++) {
      const template = templates[i % templates.length] as PodJson;
      const copy = structuredClone(template);
      copy.metadata = { ...copy.metadata, name: `${template.metadata?.name}-${i}`, uid: `bench-${i}` };
      if (i % 10 === 9 && copy.status?.containerStatuses?.[0]) copy.status.containerStatuses[0].ready = false;
      pods.push(copy);
    }
    let state = initialState(start);
    let observations = null;
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const now = start + run * 5_000;
      const t0 = performance.now();
      const views = pods.map((pod) => podView(pod, options));
      const all: Readings = { ...readings, pods: interpretPods(views, config.namespace) };
      observations = stampObservations(observations, all, now);
      state = step(config, state, { observations, finished: [], requests: [] }, now).state;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    results.push({ pods: count, medianMs: times[Math.floor(times.length / 2)] ?? 0, p95Ms: times[Math.floor(times.length * 0.95)] ?? 0, runs });
  }
  return results;
}
