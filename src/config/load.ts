// Reading the config file: YAML → schema → Config, or a ConfigError that names the key and value.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { describeIssues } from "./issues.js";
import { configSchema, type Config } from "./schema.js";

export const DEFAULT_CONFIG_PATH = "/etc/songnodes-watchdog/config.yaml";

/** A config the daemon must not run with; `message` names the file, the key path and the bad value. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Validate a parsed document (an object from YAML, or {} for all defaults). */
export function parseConfig(document: unknown, source = "config"): Config {
  const result = configSchema.safeParse(document ?? {});
  if (result.success) return result.data;
  throw new ConfigError(describeIssues(result.error.issues, document, source));
}

/**
 * Load the file at `path`. A missing default file means "all defaults" (a fresh install needs no
 * config); a missing file named explicitly is an error, since the operator meant one.
 */
export function loadConfig(path: string | undefined): Config {
  const file = path ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === "ENOENT") return parseConfig({}, file);
    throw new ConfigError(`${file}: cannot read: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  return parseConfig(document ?? {}, file);
}

