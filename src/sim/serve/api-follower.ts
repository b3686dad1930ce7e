// The HTTPS API follows the model: while k3s is down the listener is closed (connection refused,
// as when k3s's apiserver is gone), while it starts /readyz and everything else answer 500, and
// the api-500 / api-hang faults map onto the server's fault modes.
import type { ApiServerHandle, ApiFaultMode } from "../kube/api-server.js";
import type { ApiAnswer } from "../model/node-runtime.js";

const MODES: Record<ApiAnswer, ApiFaultMode> = { ok: "ok", refused: "down", "500": "error500", hang: "hang" };

/** Call `follow` with the model's answer as often as you like; mode changes are applied in order. */
export function createApiFollower(api: ApiServerHandle): { follow(answer: ApiAnswer): Promise<void> } {
  let wanted: ApiFaultMode = api.mode();
  let queue: Promise<void> = Promise.resolve();
  return {
    follow(answer) {
      const mode = MODES[answer];
      if (mode === wanted) return queue;
      wanted = mode;
      queue = queue.then(() => api.setMode(mode)).catch(() => undefined);
      return queue;
    },
  };
}
