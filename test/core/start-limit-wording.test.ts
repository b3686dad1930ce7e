// systemd before v230 wrote Result "start-limit" where newer ones write "start-limit-hit": both mean
// systemd gave up on the unit, so no Restart= is coming.
import { describe, expect, it } from "vitest";
import { FakeNode } from "./harness.js";
import { T0, sec, unit, with_ } from "./builders.js";

describe("systemd has given up on k3s, in the wording of systemd before v230 (start-limit)", () => {
  it("is treated at once, with reset-failed before the restart", () => {
    const node = new FakeNode(T0);
    node.tick(T0, with_({ k3sUnit: unit({ activeState: "failed", subState: "failed", result: "start-limit" }) }));
    expect(node.remedies().map((r) => r.command)).toEqual([expect.objectContaining({ kind: "restart-k3s", resetFailed: true })]);
  });

  it("a plain failure still waits out the hold-off and needs no reset-failed", () => {
    const node = new FakeNode(T0);
    const failed = unit({ activeState: "failed", subState: "failed", result: "exit-code" });
    node.tick(T0, with_({ k3sUnit: failed }));
    expect(node.remedies()).toEqual([]);
    node.run(T0 + sec(5), T0 + sec(30), () => with_({ k3sUnit: failed }));
    expect(node.remedies().map((r) => r.command)).toEqual([expect.objectContaining({ kind: "restart-k3s", resetFailed: false })]);
  });
});
