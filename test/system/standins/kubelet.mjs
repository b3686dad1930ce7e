// The k3s stand-in's kubelet, in real time: the songnodes pods (rendered by the simulator's
// render-pod.js), pulling localhost:5000 images from the real registry stand-in on 127.0.0.1:5000
// (connection refused → ErrImagePull/ImagePullBackOff with containerd's message), retrying on a
// back-off, and replacing a deleted pod as its ReplicaSet or StatefulSet would.
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { NAMESPACE, NODE_FACTS, songnodesWorkloads } from "../../../dist/src/sim/model/inventory.js";
import { pullErrorMessage } from "../../../dist/src/sim/model/kubelet.js";
import { READY, renderNode } from "../../../dist/src/sim/model/node-object.js";
import { backoffMs, renderPod } from "../../../dist/src/sim/model/render-pod.js";


/** Put the namespace, the node and the pods into `store` and keep them up to date. */
export function startKubelet(store) {
  const started = Date.now();
  store.put("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE }, status: { phase: "Active" } });
  store.put("nodes", renderNode(NODE_FACTS.name, randomUUID(), started, { ...READY, since: started, heartbeat: started }, randomUUID()));
  const pods = new Map();
  const owners = new Map();
  const write = (pod) => store.put("pods", renderPod(pod, NAMESPACE, NODE_FACTS.name, Date.now()));

  const create = (spec) => {
    const owner = owners.get(spec.name) ?? ownerOf(spec);
    owners.set(spec.name, owner);
    const suffix = randomUUID().slice(0, 5);
    const pod = {
      name: spec.kind === "StatefulSet" ? `${spec.name}-0` : `${owner.name}-${suffix}`,
      uid: randomUUID(), spec, owner, createdAt: Date.now(), stage: "pulling", podIp: null, startedAt: Date.now(),
      initDone: spec.initWaitFor.length, containerStartedAt: null, readyAt: null, restarts: 0, pullError: null,
      crashBackoffUntil: null, lastTerminated: null, terminated: null, unknownKind: null, failed: null,
      deletionAt: null, graceSeconds: null, stuckTerminating: false, token: 0, nextPullAt: Date.now(),
    };
    pods.set(pod.uid, pod);
    write(pod);
  };

  const pull = async (pod) => {
    const outcome = await pullImage(pod.spec.image);
    if (!pods.has(pod.uid)) return;
    if (outcome === "ok") {
      Object.assign(pod, { stage: "running", pullError: null, containerStartedAt: Date.now(), readyAt: Date.now(), podIp: `10.42.0.${10 + pods.size}` });
    } else {
      const attempts = (pod.pullError?.attempts ?? 0) + 1;
      pod.stage = "pull-failed";
      // kubelet's image back-off: 10 s doubling to 300 s, so a pod does not heal itself at once.
      pod.pullError = { message: pullErrorMessage(pod.spec.image, outcome), failedAt: Date.now(), backoffUntil: Date.now() + backoffMs(attempts), attempts };
      pod.nextPullAt = Date.now() + backoffMs(attempts);
    }
    write(pod);
  };

  // DELETE: the pod goes at once (this stand-in has no graceful termination) and its controller
  // makes a new one, which pulls its image again.
  store.onDelete("pods", (object) => {
    const pod = pods.get(object.metadata.uid);
    store.remove("pods", NAMESPACE, object.metadata.name);
    if (!pod) return;
    pods.delete(pod.uid);
    setTimeout(() => create(pod.spec), 300);
  });

  for (const spec of songnodesWorkloads()) if (spec.kind !== "CronJob") create(spec);
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      for (const pod of [...pods.values()]) {
        if ((pod.stage === "pulling" || pod.stage === "pull-failed") && Date.now() >= pod.nextPullAt) await pull(pod);
        else if (pod.stage === "pull-failed") write(pod); // ErrImagePull turns into ImagePullBackOff
      }
    } finally {
      busy = false;
    }
  }, 500);
  return { stop: () => clearInterval(timer) };
}

function ownerOf(spec) {
  const kind = spec.kind === "StatefulSet" ? "StatefulSet" : "ReplicaSet";
  const name = spec.kind === "StatefulSet" ? spec.name : `${spec.name}-${randomUUID().replace(/-/g, "").slice(0, 10)}`;
  return { apiVersion: "apps/v1", kind, name, uid: randomUUID() };
}

/** "ok", "registry-down" (connection refused) or "image-missing" (404), as containerd would see it. */
function pullImage(image) {
  if (!image.startsWith("localhost:5000/")) return Promise.resolve("ok");
  const [repository, tag = "latest"] = image.slice("localhost:5000/".length).split(":");
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port: 5000, method: "HEAD", path: `/v2/${repository}/manifests/${tag}`, timeout: 2_000,
      headers: { accept: "application/vnd.docker.distribution.manifest.v2+json" } }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? "ok" : res.statusCode === 404 ? "image-missing" : "registry-down");
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve("registry-down"));
    req.end();
  });
}
