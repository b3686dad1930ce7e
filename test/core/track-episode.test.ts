// Stage trackEpisode: an episode ends only after its family has been clear for the healthy hold.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { topSymptom, trackEpisode } from "../../src/core/track-episode.js";
import type { SymptomFinding } from "../../src/core/symptoms.js";
import type { LadderPosition } from "../../src/core/types.js";
import { T0, min, sec } from "./builders.js";

const policy = parseConfig({});
const finding = (symptom: SymptomFinding["symptom"]): SymptomFinding => ({ symptom, since: T0 - min(5), due: true, dueAt: T0, why: symptom });
const episode: LadderPosition = { symptom: "k3s-down", rung: 0, verifyUntil: T0 - min(1), startedAt: T0 - min(10), clearSince: null };

describe("the ladder's episode", () => {
  it.each([
    ["k3s trouble of another kind keeps the k3s episode open", [finding("api-not-ready")], episode, { ladder: { ...episode, clearSince: null } }],
    ["registry trouble does not keep a k3s episode open: it starts clearing", [finding("registry-down")], episode, { ladder: { ...episode, clearSince: T0 } }],
    ["clear for 30 s: still open", [], { ...episode, clearSince: T0 - sec(30) }, { ladder: { ...episode, clearSince: T0 - sec(30) } }],
    ["clear for the healthy hold and past its verification window: recovered", [], { ...episode, clearSince: T0 - min(1) }, { ladder: null }],
    ["clear for the healthy hold but still verifying: open", [], { ...episode, verifyUntil: T0 + 1, clearSince: T0 - min(1) }, { ladder: { ...episode, verifyUntil: T0 + 1, clearSince: T0 - min(1) } }],
  ])("%s", (_title, findings, ladder, expected) => {
    expect(trackEpisode(policy, ladder, findings, T0)).toMatchObject(expected);
  });

  it("a recovery is said at info, naming the last remedy", () => {
    const out = trackEpisode(policy, { ...episode, clearSince: T0 - min(1) }, [], T0);
    expect(out.announcements).toEqual([expect.objectContaining({ level: "info", message: "recovered from k3s-down after restart-k3s (clear for 1m)" })]);
  });

  it("a broken k3s is treated before everything it explains", () => {
    expect(topSymptom([finding("registry-down"), finding("node-not-ready"), finding("k3s-down")])?.symptom).toBe("k3s-down");
    expect(topSymptom([])).toBeNull();
  });
});
