// From the configured channels to working ones: secrets read (from a file or a systemd
// credential), URLs resolved. Throws SecretError (a config error: exit 78) when a secret is missing.
import type { Channel } from "./channel.js";
import { createCommandChannel } from "./command-channel.js";
import type { ChannelConfig } from "./config-schema.js";
import { createHttpChannel } from "./http-channel.js";
import { readSecret, SecretError } from "./secrets.js";

/** Every channel of the config, ready to deliver. */
export function buildChannels(configs: readonly ChannelConfig[], env: NodeJS.ProcessEnv = process.env): Channel[] {
  return configs.map((config, i) => {
    const key = `notifications.channels.${i}`;
    const route = { events: config.events, severities: config.severities };
    if (config.type === "command") return createCommandChannel({ name: config.name, argv: config.command, timeoutMs: config.timeout, route });
    const url = config.url ?? (config.urlFrom === undefined ? undefined : readSecret(config.urlFrom, `${key}.urlFrom`, env));
    if (url === undefined) throw new SecretError(`${key}.url: missing`);
    if (!/^https?:\/\//.test(url)) throw new SecretError(`${key}.urlFrom: the secret is not an http:// or https:// URL`);
    const token = config.token === undefined ? null : readSecret(config.token, `${key}.token`, env);
    return createHttpChannel({ name: config.name, type: config.type, format: config.type === "webhook" ? config.format : undefined, url, token, timeoutMs: config.timeout, route });
  });
}
