// Secrets for the channels: read from a file or from a systemd credential ($CREDENTIALS_DIRECTORY,
// filled by LoadCredential=), never from the config file itself. Read once at start; a secret that
// cannot be read is a config error (exit 78) that names the key and the file, never the secret.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SecretRef } from "./config-schema.js";

/** A secret that could not be read; `message` names the config key and where it looked. */
export class SecretError extends Error {
  override name = "SecretError";
}

/** The secret's value (the first line, trimmed). `key` is the config path, for the error. */
export function readSecret(ref: SecretRef, key: string, env: NodeJS.ProcessEnv = process.env): string {
  let path: string;
  if (ref.file !== undefined) {
    path = ref.file;
  } else {
    const dir = env.CREDENTIALS_DIRECTORY;
    if (dir === undefined || dir === "") throw new SecretError(`${key}.credential: ${JSON.stringify(ref.credential)} needs $CREDENTIALS_DIRECTORY (LoadCredential=${ref.credential}:/path in the unit), which is not set`);
    path = join(dir, ref.credential ?? "");
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new SecretError(`${key}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const value = text.split("\n")[0]?.trim() ?? "";
  if (value === "") throw new SecretError(`${key}: ${path} is empty`);
  return value;
}
