// Hand-written probes and actions for the loop's tests: each probe returns what the test sets,
// each action records its calls and answers as the test says.
import type { Readings } from "../../src/core/observe.js";
import type { ProbeName, RemedyCommand, RemedyKind } from "../../src/core/types.js";
import { PROBE_NAMES } from "../../src/core/types.js";
import type { Action, ActionReport, Logger } from "../../src/ports.js";
import type { ProbeSet } from "../../src/daemon/read-probes.js";
import { healthy } from "../core/builders.js";

export interface FakeProbes {
  probes: ProbeSet;
  readings: Readings;
  /** Make one probe throw or never answer. */
  misbehave: Partial<Record<ProbeName, "throw" | "hang">>;
}

/** Probes that return `readings` (a healthy node to start with). */
export function fakeProbes(): FakeProbes {
  const fake: FakeProbes = { readings: healthy(), misbehave: {}, probes: {} as ProbeSet };
  for (const name of PROBE_NAMES) {
    (fake.probes as Record<string, unknown>)[name] = {
      name,
      read: async () => {
        if (fake.misbehave[name] === "throw") throw new Error("EACCES: permission denied");
        if (fake.misbehave[name] === "hang") return new Promise(() => {});
        return fake.readings[name];
      },
    };
  }
  return fake;
}

export interface FakeActions {
  actions: { [K in RemedyKind]: Action<Extract<RemedyCommand, { kind: K }>> };
  calls: RemedyCommand[];
  /** What the next run answers; "hang" ignores its signal. */
  answer: ActionReport | "hang";
}

/** Actions that record their calls. */
export function fakeActions(): FakeActions {
  const fake: FakeActions = { calls: [], answer: { ok: true, detail: "done", touched: ["k3s.service"] }, actions: {} as FakeActions["actions"] };
  for (const kind of ["restart-k3s", "killall-k3s", "restart-registry", "delete-pods"] as const) {
    (fake.actions as Record<string, Action>)[kind] = {
      kind,
      run: async (command) => {
        fake.calls.push(command);
        if (fake.answer === "hang") return new Promise(() => {});
        return fake.answer;
      },
    };
  }
  return fake;
}

/** A logger that keeps its lines. */
export function memoryLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
