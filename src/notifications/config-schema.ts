// The `notifications` and `metrics` sections of the config file, validated like every other key:
// a bad value names its key and value, and the daemon exits 78. A secret (a token, or a webhook URL
// that is itself the credential, as Slack's and Discord's are) is never written in the file: it is
// read from a file or a systemd credential, so it stays out of the config, the logs and the status.
import { z } from "zod";
import { positiveDuration } from "../config/positive-duration.js";
import { EVENT_KINDS, SEVERITIES } from "./event.js";
import { untrustedCommandReason } from "./command-trust.js";

const duration = positiveDuration;

/** Where a secret comes from: a file (first line), or a credential named in LoadCredential=. */
const secret = z
  .strictObject({
    file: z.string().startsWith("/", "an absolute path").optional(),
    credential: z.string().regex(/^[A-Za-z0-9_.@-]+$/, "a credential name as in LoadCredential=NAME:…").optional(),
  })
  .refine((s) => (s.file === undefined) !== (s.credential === undefined), "give exactly one of file or credential");

const httpUrl = z.url({ protocol: /^https?$/, error: "an http:// or https:// URL" });

const channelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, "letters, digits, '.', '_' or '-' (at most 63)");

/** Routing: which kinds and severities a channel receives (all when absent). */
const routing = {
  events: z.array(z.enum(EVENT_KINDS)).min(1).optional(),
  severities: z.array(z.enum(SEVERITIES)).min(1).optional(),
};

/** The URL in the file, or from a secret (for Slack and Discord the URL is the credential). */
const target = {
  url: httpUrl.optional(),
  urlFrom: secret.optional(),
  /** Sent as `Authorization: Bearer …`. */
  token: secret.optional(),
  timeout: duration("10s"),
};
const oneUrl = (c: { url?: string; urlFrom?: unknown }) => (c.url === undefined) !== (c.urlFrom === undefined);

const webhook = z
  .strictObject({ type: z.literal("webhook"), name: channelName, format: z.enum(["generic", "slack", "discord", "alertmanager"]).default("generic"), ...target, ...routing })
  .refine(oneUrl, { message: "give exactly one of url or urlFrom", path: ["url"] });

const ntfy = z
  .strictObject({ type: z.literal("ntfy"), name: channelName, ...target, ...routing })
  .refine(oneUrl, { message: "give exactly one of url (the topic URL) or urlFrom", path: ["url"] });

const command = z.strictObject({
  type: z.literal("command"),
  name: channelName,
  /** An argument array, never a shell line: the program first, as an absolute path. */
  command: z.array(z.string().min(1)).min(1).superRefine((argv, ctx) => {
    const reason = untrustedCommandReason(argv[0] ?? "");
    if (reason !== null) ctx.addIssue({ code: "custom", path: [0], message: `refused: ${reason}` });
  }),
  timeout: duration("30s"),
  ...routing,
});

/** The `notifications` section. */
export const notificationsSchema = z
  .strictObject({
    channels: z.array(z.discriminatedUnion("type", [webhook, ntfy, command])).default([])
      .superRefine((channels, ctx) => {
        channels.forEach((channel, i) => {
          if (channels.findIndex((other) => other.name === channel.name) !== i) ctx.addIssue({ code: "custom", path: [i, "name"], message: `channel name ${JSON.stringify(channel.name)} is used twice` });
        });
      }),
    /** Say an unresolved episode again after this long; null: once per episode. */
    reminder: z.union([z.null(), duration("4h")]).default(null),
    /** A budget with this many remedies left (or fewer) is "nearly spent". */
    budgetLowLeft: z.number().int().min(0).default(1),
    outbox: z
      .strictObject({
        /** Undelivered deliveries kept at most; past it the oldest non-critical ones go first. */
        maxEvents: z.number().int().min(10).default(1000),
        /** An undelivered event older than this is dropped (and counted). */
        maxAge: duration("7d"),
      })
      .prefault({}),
    retry: z.strictObject({ initial: duration("5s"), max: duration("30m") }).prefault({}),
  })
  .prefault({});

/** The `metrics` section: an optional TCP listener for Prometheus, off by default. */
export const metricsSchema = z
  .strictObject({
    listen: z
      .string()
      .regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Fa-f:]+\]):\d{1,5}$/, 'an address and port such as "127.0.0.1:9465" or "[::1]:9465"')
      .nullable()
      .default(null),
  })
  .prefault({});

/** One configured channel, defaults applied. */
export type ChannelConfig = z.output<typeof notificationsSchema>["channels"][number];
/** The notifications section, defaults applied. */
export type NotificationsConfig = z.output<typeof notificationsSchema>;
/** A secret reference (file or credential). */
export type SecretRef = z.output<typeof secret>;
