// What a scenario needs from the tree (other parts are written in parallel): a scenario whose
// pieces are missing is reported as NOT READY and fails the run, never skipped silently.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "./install.mjs";

const built = (path) => join(PROJECT_ROOT, "dist", path);

/** `songnodes-watchdog run` starts the daemon (src/daemon/ built). */
export const DAEMON = {
  what: "the daemon (`songnodes-watchdog run`, dist/src/daemon/)",
  present: () => existsSync(built("src/daemon")) && !/Being written/.test(safeRead(built("src/cli/run.js"))),
};

/** The status CLI talks to the status socket. */
export const STATUS_CLI = {
  what: "the status CLI (dist/src/cli/status-commands.js)",
  present: () => /status/.test(safeRead(built("src/cli/status-commands.js"))) && !/Being written/.test(safeRead(built("src/cli/status-commands.js"))),
};

/** The simulated API server and Docker/registry stand-ins the stand-in units serve. */
export const SIM_SERVERS = {
  what: "the simulated API server and Docker/registry stand-ins (dist/src/sim/)",
  present: () => ["src/sim/kube/api-server.js", "src/sim/kube/store.js", "src/sim/docker/engine-api.js", "src/sim/registry/http-registry.js"].every((p) => existsSync(built(p))),
};

/** Notifications: the outbox and its delivery worker are built. */
export const NOTIFICATIONS = {
  what: "notifications (dist/src/notifications/)",
  present: () => ["src/notifications/delivery-worker.js", "src/notifications/outbox.js", "src/cli/notify-test.js"].every((p) => existsSync(built(p))),
};

/** The daemon honours the drop-in's SONGNODES_WATCHDOG_TEST_HANG_FILE (a test-only loop stop). */
export const HANG_TRIGGER = {
  what: "the test-only hang trigger (SONGNODES_WATCHDOG_TEST_HANG_FILE read by the daemon)",
  present: () => grepBuilt("src", "SONGNODES_WATCHDOG_TEST_HANG_FILE"),
};

function safeRead(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function grepBuilt(dir, needle) {
  const walk = (d) => {
    let entries = [];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".js") && safeRead(join(d, e.name)).includes(needle)));
  };
  return walk(built(dir));
}
