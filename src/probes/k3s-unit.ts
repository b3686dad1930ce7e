// Probe: is k3s.service running, as systemd sees it over D-Bus. The judgement is the pure
// interpretUnit(); the probe only fetches and wakes the loop on PropertiesChanged.
import type { K3sUnitDetail, Reading } from "../core/types.js";
import type { Clock, Probe, Systemd, UnitProperties } from "../ports.js";
import { createStandingOk } from "./standing-ok.js";

/** The ActiveState values systemd defines (maintenance since v250, refreshing since v257). */
const ACTIVE_STATES: ReadonlySet<unknown> = new Set(["active", "reloading", "inactive", "failed", "activating", "deactivating", "maintenance", "refreshing"]);

/** "4 restarts", "1 restart". */
function restartsText(restarts: number | null): string {
  if (restarts === null || restarts === 0) return "";
  return `, ${restarts} restart${restarts === 1 ? "" : "s"}`;
}

/**
 * Unit properties → Reading. Only active (running) is ok. The reason is time-free (no clock here):
 * a start attempt names the moment it began, and the core judges its budget from inactiveExitAt.
 * `activating (auto-restart)` is a failing unit waiting out RestartSec, not a start (docs/design.md §4).
 */
export function interpretUnit(props: UnitProperties, unit: string): Reading<K3sUnitDetail> {
  const detail: K3sUnitDetail = { ...props };
  const state = `${unit} is ${props.activeState} (${props.subState})`;
  // A state systemd does not define (or none at all) is an answer we cannot read, not a failing k3s.
  if (!ACTIVE_STATES.has(props.activeState)) {
    return { status: "unknown", reason: `cannot judge ${unit}: systemd reported ActiveState ${JSON.stringify(props.activeState ?? null)}, which is not one systemd defines`, detail: null };
  }
  if (props.activeState === "active" && props.subState === "running") {
    return { status: "ok", reason: `${state}${restartsText(props.restarts)}`, detail };
  }
  const after = props.result !== "success" ? ` after ${props.result}` : "";
  const began =
    props.activeState === "activating" && props.subState !== "auto-restart" && props.inactiveExitAt !== null
      ? ` since ${new Date(props.inactiveExitAt).toISOString()}`
      : "";
  return { status: "bad", reason: `${state}${began}${after}${restartsText(props.restarts)}`, detail };
}

export interface K3sUnitProbeDeps {
  systemd: Systemd;
  /** The unit to watch, "k3s.service" by default in the config. */
  unit: string;
  /** For the re-check bound; the real clock by default. */
  clock?: Clock;
  quietRecheckMs?: number;
}

/**
 * How long an active unit's reading stands without asking systemd again while no PropertiesChanged
 * came: systemd sends one for every state change, and the bus connection's loss and return wake
 * the probe too. The bound covers a signal that never came (a match rule lost with no reconnect),
 * which is a defect, not a way k3s fails: there a minute is the price of an idle daemon that looks
 * once a minute.
 */
export const UNIT_QUIET_RECHECK_MS = 60_000;

/** The k3s unit probe: reads through the Systemd port, never throws, wakes on unit changes. */
export function createK3sUnitProbe(deps: K3sUnitProbeDeps): Probe<K3sUnitDetail> {
  const { systemd, unit } = deps;
  // Signals counted since the start; an ok reading remembers the count before it asked.
  let changes = 0;
  let watching = false;
  const lastOk = createStandingOk(deps.clock, deps.quietRecheckMs ?? UNIT_QUIET_RECHECK_MS);
  return {
    name: "k3sUnit",
    async read(signal) {
      const done = lastOk.begin(changes);
      let reading: Reading<K3sUnitDetail>;
      try {
        reading = interpretUnit(await systemd.unitProperties(unit, signal), unit);
      } catch (error) {
        // Could not look: unknown, which never triggers a remedy (a broken bus must not restart k3s).
        const reason = error instanceof Error ? error.message : String(error);
        reading = { status: "unknown", reason, detail: null };
      }
      done(reading.status === "ok");
      return reading;
    },
    // Without a watch nobody would tell the probe of a change: it always looks.
    quiet: () => watching && lastOk.stands(changes),
    standsFor: () => (watching ? lastOk.standsFor(changes) : 0),
    watch(wake) {
      watching = true;
      const off = systemd.onUnitChange(unit, () => {
        changes++;
        wake(`${unit} or its D-Bus connection changed`);
      });
      return () => {
        watching = false;
        off();
      };
    },
  };
}
