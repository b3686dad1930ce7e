// The model's faces seen through the time warp: the ObjectStore the HTTPS API serves and the k3s
// unit the systemd1 stand-in exports. Writes go to the model unchanged; what is read comes out in
// wall time (see time-warp.ts), so creationTimestamp, deletionTimestamp, InactiveExitTimestamp…
// age at the daemon's pace.
import type { KubeObject, ObjectStore } from "../kube/store-types.js";
import type { UnitDriver } from "../systemd1/unit-driver.js";
import type { TimeWarp } from "./time-warp.js";

/** The store as the API server should read it: timestamps in wall time. */
export function warpedStore(store: ObjectStore, warp: TimeWarp): ObjectStore {
  const out = (object: KubeObject | undefined): KubeObject | undefined => (object === undefined ? undefined : warp.warpJson(object));
  return {
    put: (resource, object) => warp.warpJson(store.put(resource, object)),
    get: (resource, namespace, name) => out(store.get(resource, namespace, name)),
    list(resource, namespace) {
      const listed = store.list(resource, namespace);
      return { items: listed.items.map((item) => warp.warpJson(item)), resourceVersion: listed.resourceVersion };
    },
    // Only the page the server sends is warped: warping 20,000 pods for each page of 500 would not keep up.
    listShared: (resource, namespace) => ({ ...store.listShared(resource, namespace), present: (item) => warp.warpJson(item) }),
    remove: (resource, namespace, name) => out(store.remove(resource, namespace, name)),
    requestDelete: (resource, namespace, name, request) => out(store.requestDelete(resource, namespace, name, request)),
    onDelete: (resource, handler) => store.onDelete(resource, handler),
    watch: (resource, namespace, since, listener) =>
      store.watch(resource, namespace, since, (event) => listener({ type: event.type, object: warp.warpJson(event.object) })),
    currentResourceVersion: () => store.currentResourceVersion(),
  };
}

/**
 * The unit as systemd1 should export it: InactiveExitTimestamp, ActiveEnterTimestamp and
 * ExecMainStartTimestamp in wall time. The …Monotonic twins are not exported (0, "never"): the
 * model's monotonic clock is not the host's CLOCK_MONOTONIC the real daemon reads, so the daemon
 * ages the unit on the warped wall stamps instead, as it does with a systemd that lacks them.
 */
export function warpedUnit(unit: UnitDriver, warp: TimeWarp): UnitDriver {
  const wall = (at: number | null): number | null => (at === null ? null : warp.wallAt(at));
  return {
    name: unit.name,
    properties() {
      const props = unit.properties();
      return {
        ...props, inactiveExitAt: wall(props.inactiveExitAt), activeEnterAt: wall(props.activeEnterAt), execMainStartAt: wall(props.execMainStartAt ?? null),
        inactiveExitMono: null, activeEnterMono: null, execMainStartMono: null,
      };
    },
    start: () => unit.start(),
    stop: () => unit.stop(),
    restart: () => unit.restart(),
    resetFailed: () => unit.resetFailed(),
    onChange: (listener) => unit.onChange(listener),
  };
}
