// `songnodes-watchdog notify test`: one test event through every configured channel, at once and
// without the outbox (the daemon need not be running), each channel's outcome printed. Exit 0 when
// every channel delivered, 1 when one did not, 78 for a bad config or an unreadable secret.
import type { Command } from "commander";
import { hostname } from "node:os";
import { ConfigError, loadConfig } from "../config/load.js";
import { buildChannels } from "../notifications/build-channels.js";
import { eventId, type NotificationEvent } from "../notifications/event.js";
import { SecretError } from "../notifications/secrets.js";
import { EXIT_CONFIG, EXIT_OK, EXIT_UNHEALTHY } from "./exit-codes.js";
import { say } from "./format/wrap-block.js";

/** The test event: a fresh id each run, so a de-duplicating receiver shows every test. */
export function testEvent(now: number, node: string): NotificationEvent {
  const episode = `test:${now}`;
  return { id: eventId("test", episode), kind: "test", severity: "info", title: "test notification", message: `a test from songnodes-watchdog on ${node}: this channel works`, at: now, node, episode };
}

/** Register `notify test` (other `notify` subcommands may join it). */
export function registerNotifyTest(program: Command): void {
  const notify = program.commands.find((c) => c.name() === "notify") ?? program.command("notify").description("notifications: tell a person");
  notify
    .command("test")
    .description("send a test event through every configured channel and print each outcome")
    .option("-c, --config <path>", "config file (default /etc/songnodes-watchdog/config.yaml)")
    .action(async (options: { config?: string }) => {
      let channels;
      try {
        channels = buildChannels(loadConfig(options.config).notifications.channels, process.env);
      } catch (error) {
        if (!(error instanceof ConfigError) && !(error instanceof SecretError)) throw error;
        say(process.stderr, `invalid configuration: ${error.message}`);
        process.exitCode = EXIT_CONFIG;
        return;
      }
      if (channels.length === 0) {
        process.stdout.write("no notification channel is configured (notifications.channels in the config)\n");
        process.exitCode = EXIT_UNHEALTHY;
        return;
      }
      const event = testEvent(Date.now(), hostname());
      const outcomes = await Promise.all(channels.map(async (channel) => ({ channel, outcome: await channel.deliver(event) })));
      const width = Math.max(...channels.map((c) => c.name.length));
      for (const { channel, outcome } of outcomes) {
        process.stdout.write(`${outcome.ok ? "delivered" : "FAILED   "}  ${channel.name.padEnd(width)}  ${channel.type.padEnd(7)}  ${outcome.detail}\n`);
      }
      const failed = outcomes.filter((o) => !o.outcome.ok).length;
      process.stdout.write(failed === 0 ? `all ${outcomes.length} channel(s) delivered event ${event.id}\n` : `${failed} of ${outcomes.length} channel(s) failed\n`);
      process.exitCode = failed === 0 ? EXIT_OK : EXIT_UNHEALTHY;
    });
}
