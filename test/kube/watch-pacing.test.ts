// The re-list pacing on a fake clock: at once after a good watch, then growing jittered pauses up to
// a cap, never two lists less than the gap apart, and distrust after three failures in a row.
import { describe, expect, it } from "vitest";
import { createWatchPacing, STABLE_WATCH_MS } from "../../src/kube/watch-pacing.js";

function pacing(random = () => 0.5) {
  const clock = { t: 1_000_000, now() { return this.t; } };
  const p = createWatchPacing({ clock, relistBackoff: { initialMs: 1_000, maxMs: 60_000 }, minRelistGapMs: 1_000, failuresBeforeUnknown: 3, random });
  return { clock, p };
}

describe("re-list pacing after watches that fail at once", () => {
  it("retries the first failure at once, then 1 s, 2 s, 4 s … to 60 s, each times a jitter in [0.5, 1)", () => {
    const low = pacing(() => 0).p;
    const high = pacing(() => 0.999999).p;
    const pauses = (p: typeof low) => Array.from({ length: 9 }, () => p.failed("410 Gone", 1_000_000, false));
    expect(pauses(low)).toEqual([0, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(pauses(high).map((ms) => Math.round(ms))).toEqual([0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
  });

  it("never lets two lists start less than the gap apart, even the first retry", () => {
    const { clock, p } = pacing();
    p.listing();
    clock.t += 200;
    expect(p.failed("410 Gone", clock.t - 100, true)).toBe(800);
    expect(p.listWait()).toBe(800);
    clock.t += 800;
    expect(p.listWait()).toBe(0);
  });

  it("distrusts the watch at the third failure in a row, and says so once", () => {
    const { clock, p } = pacing();
    const seen: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      p.failed("the stream sent lines that are not watch events", clock.t, true);
      seen.push(p.justDistrusted());
    }
    expect(seen).toEqual([false, false, true, false]);
    expect(p.distrust(null)).toEqual({ since: clock.t, kind: "the stream sent lines that are not watch events" });
  });

  it("trusts again after an event, or a watch that holds for 30 s; a failure after a long watch starts a new count", () => {
    const { clock, p } = pacing();
    for (let i = 0; i < 3; i++) p.failed("410 Gone", clock.t, true);
    expect(p.distrust(clock.t - STABLE_WATCH_MS + 1)).not.toBeNull();
    expect(p.distrust(clock.t - STABLE_WATCH_MS)).toBeNull();
    p.worked();
    expect(p.distrust(null)).toBeNull();
    for (let i = 0; i < 2; i++) p.failed("410 Gone", clock.t, true);
    expect(p.failed("410 Gone", clock.t - STABLE_WATCH_MS, true)).toBe(0);
    expect(p.distrust(null)).toBeNull();
  });
});
