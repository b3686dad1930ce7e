// Finding and reading scenario files: by name from the catalog (scenarios/<name>.yaml in the
// package) or by path. A bad file is a ScenarioError naming the file, the key and the bad value.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { describeIssues } from "../../config/issues.js";
import { scenarioSchema, type Scenario } from "./schema.js";

/** A scenario that cannot be found or is not valid. */
export class ScenarioError extends Error {
  override name = "ScenarioError";
}

/** The catalog directory: the package's scenarios/, found from this file (src/ or dist/src/). */
export function catalogDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "scenarios");
    if (existsSync(join(dir, "package.json")) && existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new ScenarioError("cannot find the scenarios/ catalog next to package.json");
}

/** Names of the catalog's scenarios, sorted. */
export function catalogNames(dir = catalogDir()): string[] {
  return readdirSync(dir).filter((file) => file.endsWith(".yaml")).map((file) => file.slice(0, -".yaml".length)).sort();
}

// An unknown name: the catalog is too long to print in an error (59 names), so the message names
// the few that contain what was typed and points at `simulate --list` for the rest.
function unknownName(name: string, known: string[]): string {
  const lower = name.toLowerCase();
  const like = lower.length < 3 ? [] : known.filter((k) => k.includes(lower) || lower.includes(k)).slice(0, 4);
  const hint = like.length > 0 ? ` (similar: ${like.join(", ")})` : "";
  return `no scenario named ${name}${hint}; \`simulate --list\` lists the ${known.length} scenarios`;
}

/** Validate a parsed document. */
export function parseScenario(document: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(document ?? {});
  if (result.success) return result.data;
  throw new ScenarioError(describeIssues(result.error.issues, document, source));
}

/** Load a scenario by catalog name or by file path. */
export function loadScenario(nameOrFile: string, dir?: string): Scenario {
  const isPath = nameOrFile.includes("/") || /\.ya?ml$/.test(nameOrFile);
  const file = isPath ? resolve(nameOrFile) : join(dir ?? catalogDir(), `${nameOrFile}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    if (isPath) throw new ScenarioError(`no scenario file ${file}`);
    throw new ScenarioError(unknownName(nameOrFile, catalogNames(dir)));
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ScenarioError(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  return parseScenario(document, file);
}

