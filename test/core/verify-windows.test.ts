// Stage openVerifyWindows: a finished remedy gets its window, counted from when it ended.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { openVerifyWindows } from "../../src/core/verify-windows.js";
import type { LadderPosition } from "../../src/core/types.js";
import { T0, min, sec } from "./builders.js";

const policy = parseConfig({});
const restarting: LadderPosition = { symptom: "k3s-down", rung: 0, verifyUntil: T0 + min(2), startedAt: T0, clearSince: null };
const killing: LadderPosition = { ...restarting, rung: 1 };

describe("verification windows", () => {
  it.each([
    ["a k3s restart that ended 40 s after it began is verified for 2 minutes from its end", restarting, "restart-k3s" as const, T0 + sec(40) + min(2)],
    ["a killall is verified for 3 minutes from its end", killing, "killall-k3s" as const, T0 + sec(40) + min(3)],
    ["a remedy of another rung leaves the window alone", restarting, "restart-registry" as const, T0 + min(2)],
  ])("%s", (_title, ladder, kind, verifyUntil) => {
    const out = openVerifyWindows(policy, ladder, [{ kind, ok: true, detail: "", at: T0 + sec(40) }]);
    expect(out?.verifyUntil).toBe(verifyUntil);
  });

  it("with no episode open there is no window", () => {
    expect(openVerifyWindows(policy, null, [{ kind: "restart-k3s", ok: true, detail: "", at: T0 }])).toBeNull();
  });
});
