// Turning schema errors into lines a person can act on: the file, the key path, what is wrong, and
// the value found. Shared by the config file and the scenario files.
import type { z } from "zod";

/** One line per issue: `file: timing.tick: not a duration … (got "soon")`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], document: unknown, source: string): string {
  return issues
    .map((issue) => {
      const key = issue.path.map(String).join(".") || "(top level)";
      const value = valueAt(document, issue.path);
      return `${source}: ${key}: ${issue.message}${value === undefined ? "" : ` (got ${JSON.stringify(value)})`}`;
    })
    .join("\n");
}

function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = document;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
