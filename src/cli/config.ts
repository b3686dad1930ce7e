// `songnodes-watchdog config check|show`: validate the config file without probing anything (as
// `nginx -t` does) and print the effective configuration with every default filled in.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { parse as parseYaml, stringify } from "yaml";
import { formatDuration } from "../config/duration.js";
import { DEFAULT_CONFIG_PATH, parseConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { loadConfigOrSay } from "./load-config-or-say.js";
import { EXIT_CONFIG, EXIT_OK } from "./exit-codes.js";

/** How the file stands before validation: absent (defaults), empty (defaults), or with settings. */
export function configSource(path: string | undefined): { file: string; note: string | null } {
  const file = path ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    // A missing default file is a fresh install; loadConfig reports any other failure.
    if (path === undefined && (error as NodeJS.ErrnoException).code === "ENOENT") return { file, note: "no such file: using the defaults" };
    return { file, note: null };
  }
  try {
    const document = parseYaml(text) as unknown;
    const empty = document === null || document === undefined || (typeof document === "object" && !Array.isArray(document) && Object.keys(document).length === 0);
    return { file, note: empty ? "no settings: using the defaults" : null };
  } catch {
    return { file, note: null };
  }
}

type Tree = { [key: string]: unknown };

// A leaf is a duration when the schema reads "1s" there as 1000 ms: found by asking the schema
// itself, so keys added later are shown as durations too.
function durationPaths(config: Config): Set<string> {
  const found = new Set<string>();
  const walk = (node: unknown, path: string[]) => {
    if (node !== null && typeof node === "object" && !Array.isArray(node)) {
      for (const [key, value] of Object.entries(node)) walk(value, [...path, key]);
      return;
    }
    if (typeof node !== "number") return;
    // Every duration has a range (src/config/ranges.ts): one of these two lies within each of them.
    for (const [text, ms] of [["1s", 1000], ["1h", 3_600_000]] as const) {
      const probe: Tree = {};
      let at = probe;
      for (const key of path.slice(0, -1)) at = (at[key] = {}) as Tree;
      at[path[path.length - 1] ?? ""] = text;
      try {
        let value: unknown = parseConfig(probe);
        for (const key of path) value = (value as Tree)[key];
        if (value === ms) found.add(path.join("."));
      } catch {
        // Not a duration, or not this one's range: the text is refused there.
      }
    }
  };
  walk(config, []);
  return found;
}

/** The effective configuration as YAML a person could put in the file: durations as "5m". */
export function effectiveConfigYaml(config: Config): string {
  const durations = durationPaths(config);
  const readable = (node: unknown, path: string[]): unknown => {
    if (node !== null && typeof node === "object" && !Array.isArray(node)) {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, readable(value, [...path, key])]));
    }
    return typeof node === "number" && durations.has(path.join(".")) ? formatDuration(node) : node;
  };
  return stringify(readable(config, []));
}


/** Register `config check` and `config show`. */
export function registerConfig(program: Command): void {
  const config = program.command("config").description("check or show the configuration file (probes nothing)");
  config
    .command("check")
    .description("validate the config file and exit 0, or 78 naming the bad key (as nginx -t)")
    .option("-c, --config <path>", `config file (default ${DEFAULT_CONFIG_PATH})`)
    .action((options: { config?: string }) => {
      const source = configSource(options.config);
      if (loadConfigOrSay(options.config) === null) {
        process.exitCode = EXIT_CONFIG;
        return;
      }
      process.stdout.write(`${source.file}: ${source.note ?? "ok"}\n`);
      process.exitCode = EXIT_OK;
    });
  config
    .command("show")
    .description("print the effective configuration, every default filled in")
    .option("-c, --config <path>", `config file (default ${DEFAULT_CONFIG_PATH})`)
    .action((options: { config?: string }) => {
      const source = configSource(options.config);
      const loaded = loadConfigOrSay(options.config);
      if (loaded === null) {
        process.exitCode = EXIT_CONFIG;
        return;
      }
      process.stdout.write(`# effective configuration, every default filled in\n# from ${source.file}${source.note ? `: ${source.note}` : ""}\n${effectiveConfigYaml(loaded)}`);
      process.exitCode = EXIT_OK;
    });
}
