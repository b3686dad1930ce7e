import { describe, expect, it } from "vitest";
import { interpretReadyz } from "../../src/probes/api-ready.js";
import { interpretNodes } from "../../src/probes/nodes.js";
import { interpretPods } from "../../src/probes/pods.js";
import { podView } from "../../src/kube/pod-view.js";
import * as pods from "./fixtures/pods.js";

const view = (pod: Parameters<typeof podView>[0]) => podView(pod, { localRegistryPrefix: "localhost:5000/" });

describe("interpretPods", () => {
  it("all pods Running and ready, plus a Completed Job pod, is ok", () => {
    const reading = interpretPods([view(pods.running), view(pods.jobCompleted)], "songnodes");
    expect(reading).toMatchObject({ status: "ok", reason: "all 1 pods in songnodes Running and ready" });
  });

  it("names the count and the worst pods first, with the pull failure's cause", () => {
    const reading = interpretPods([view(pods.running), view(pods.creating), view(pods.pullBackOffRefused), view(pods.crashLoop)], "songnodes");
    expect(reading.status).toBe("bad");
    expect(reading.reason).toBe(
      "3 of 4 pods not ready: rest-api-7d9f8b6c4-abcde ImagePullBackOff (registry refused), graph-visualization-66f7c9d8b-zx9vb CrashLoopBackOff, metadata-enrichment-7f6d5c4b3-new01 ContainerCreating",
    );
    expect(reading.detail?.pods).toHaveLength(4);
  });

  it("says how many more pods it did not name", () => {
    const reading = interpretPods([pods.containersUnknown, pods.nodeLost, pods.pullNotFound, pods.shutdownFailed, pods.terminating].map(view), "songnodes");
    expect(reading.reason).toMatch(/^5 of 5 pods not ready: rabbitmq-0 Unknown \(containers terminated Unknown after a k3s restart\), .*, and 2 more$/);
  });

  it("a missing image is named as missing, not as a registry problem", () => {
    expect(interpretPods([view(pods.pullNotFound)], "songnodes").reason).toContain("(image localhost:5000/songnodes_frontend:latest missing)");
  });

  it("a Terminating pod is not ready even though its containers still run", () => {
    expect(interpretPods([view(pods.terminating)], "songnodes").status).toBe("bad");
  });

  it("an empty namespace is ok and says so", () => {
    expect(interpretPods([], "songnodes")).toMatchObject({ status: "ok", reason: "no pods to run in namespace songnodes" });
  });
});

describe("interpretNodes", () => {
  const node = (ready: "True" | "False" | "Unknown", reason = "", message = "") => ({ name: "songnodes-node", ready, reason, message, since: 0 });

  it("no nodes registered is bad", () => expect(interpretNodes([], "songnodes-node")).toMatchObject({ status: "bad", reason: "no nodes registered" }));
  it("a Ready node is ok", () => expect(interpretNodes([node("True", "KubeletReady")], "songnodes-node")).toMatchObject({ status: "ok", reason: "node songnodes-node Ready" }));
  it("Ready=Unknown is bad with kubelet's silence in the reason", () => {
    expect(interpretNodes([node("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")], "songnodes-node").reason)
      .toBe("node songnodes-node Ready=Unknown (NodeStatusUnknown): Kubelet stopped posting node status.");
  });
});

describe("interpretReadyz", () => {
  it("200 is ok", () => expect(interpretReadyz(200, null, "ok")).toMatchObject({ status: "ok", detail: { httpStatus: 200 } }));

  it("500 is bad and names the first failing check", () => {
    const body = "[+]ping ok\n[-]etcd failed: reason withheld\n[-]etcd-readiness failed: reason withheld\nreadyz check failed\n";
    expect(interpretReadyz(500, null, body)).toMatchObject({ status: "bad", reason: "API not ready: /readyz answered HTTP 500, [-]etcd failed: reason withheld" });
  });

  it("404 means we are looking in the wrong place, not that the API is down: unknown, never a restart", () => {
    expect(interpretReadyz(404, null, "404 page not found\n")).toEqual({
      status: "unknown", reason: "not the API's readiness answer: /readyz answered HTTP 404: 404 page not found", detail: { httpStatus: 404 },
    });
  });

  it.each([301, 302, 400, 405, 418, 502])("an unexpected HTTP %s without a check list is unknown", (status) => {
    expect(interpretReadyz(status, null, "<html>Bad Gateway</html>").status).toBe("unknown");
  });

  it("503 with a failing check is bad, like 500", () => {
    expect(interpretReadyz(503, null, "[+]ping ok\n[-]shutdown failed: reason withheld\n").status).toBe("bad");
  });

  it("a refused connection means k3s's API is down: bad", () => {
    expect(interpretReadyz(null, "connect ECONNREFUSED 127.0.0.1:6443")).toMatchObject({ status: "bad", reason: "API not answering: connect ECONNREFUSED 127.0.0.1:6443" });
  });

  it.each([
    [null, "no answer within 5 s"],
    [null, "unable to verify the first certificate"],
    [null, "read ECONNRESET"],
    [401, null],
    [403, null],
  ])("status %s / error %s means we could not tell: unknown", (status, error) => {
    expect(interpretReadyz(status, error).status).toBe("unknown");
  });
});
