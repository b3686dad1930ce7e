// Faults given at run time (`--fault`, POST /v1/faults) in the scenario files' own words, validated
// by the scenario schema so names, defaults and durations ("30s", "5m") are the same everywhere.
// Durations are node time: with --speed 10, "5m" passes in 30 s of wall time.
import type { Fault } from "../model/faults.js";
import { parseScenario, ScenarioError } from "../scenario/load.js";

/** A fault that is not one the model knows, or has a bad field. */
export class FaultInputError extends Error {
  override name = "FaultInputError";
}

/** Validate a fault object (`{ "fault": "registry-down", "fixedByRestart": true }`). */
export function parseFault(input: unknown): Fault {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new FaultInputError(`a fault is a JSON object with a "fault" name, got ${JSON.stringify(input)}`);
  }
  const probe = { name: "serve", description: "serve", runbook: "serve", duration: 1, faults: [{ ...input, at: 0 }], expect: {} };
  try {
    const { at: _at, ...fault } = parseScenario(probe, "fault").faults[0] as Fault & { at: number };
    return fault as Fault;
  } catch (error) {
    if (error instanceof ScenarioError) throw new FaultInputError(error.message.replace(/faults\.0\.?/g, "").replace(/^fault: : /gm, "fault: "));
    throw error;
  }
}

/** Parse `--fault NAME`, `--fault NAME:key=value,key=value` or `--fault '{"fault":…}'`. */
export function parseFaultArgument(text: string): Fault {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new FaultInputError(`--fault ${text}: not valid JSON (${(error as Error).message})`);
    }
    return parseFault(parsed);
  }
  const [name = "", rest = ""] = trimmed.split(/:(.*)/s);
  const fields: Record<string, unknown> = { fault: name };
  for (const pair of rest.split(",").filter((part) => part.length > 0)) {
    const [key = "", value] = pair.split(/=(.*)/s);
    if (!key || value === undefined) throw new FaultInputError(`--fault ${text}: "${pair}" is not key=value`);
    fields[key] = fieldValue(key, value);
  }
  return parseFault(fields);
}

// Booleans, numbers, null and lists (a|b) as a person types them on a command line.
function fieldValue(key: string, value: string): unknown {
  if (value === "true" || value === "false") return value === "true";
  if (value === "null") return null;
  if (key === "workloads") return value.split("|").filter((item) => item.length > 0);
  if (/^-?\d+(\.\d+)?$/.test(value) && key !== "duration" && key !== "every" && key !== "downFor") return Number(value);
  return value;
}
