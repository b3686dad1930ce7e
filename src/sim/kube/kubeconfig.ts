// The kubeconfig a client (kubectl, @kubernetes/client-node) uses to reach the simulated API server,
// shaped like k3s's /etc/rancher/k3s/k3s.yaml but with a bearer token instead of a client certificate.
import { writeFile } from "node:fs/promises";
import { stringify } from "yaml";

/** The context name in the simulator's kubeconfig. */
export const SIM_CONTEXT = "songnodes-sim";

/** Write `path` pointing at `url`, trusting `caCert`, authenticating with `token`. */
export async function writeKubeconfig(path: string, url: string, caCert: string, token: string): Promise<void> {
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: SIM_CONTEXT, cluster: { server: url, "certificate-authority-data": Buffer.from(caCert).toString("base64") } }],
    users: [{ name: SIM_CONTEXT, user: { token } }],
    contexts: [{ name: SIM_CONTEXT, context: { cluster: SIM_CONTEXT, user: SIM_CONTEXT, namespace: "songnodes" } }],
    "current-context": SIM_CONTEXT,
    preferences: {},
  };
  await writeFile(path, stringify(config), { mode: 0o600 });
}
