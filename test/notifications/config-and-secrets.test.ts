// The notifications and metrics sections are validated like every other key (a bad value names
// its key and value: exit 78), and secrets come from a file or a systemd credential, never from
// the config, and never show up in logs, the outbox or the status.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/load.js";
import { buildChannels } from "../../src/notifications/build-channels.js";
import { readSecret, SecretError } from "../../src/notifications/secrets.js";
import { createNotifications } from "../../src/notifications/notifications.js";
import { initialState } from "../../src/core/state.js";
import type { IterationReport } from "../../src/daemon/loop.js";
import { createRig } from "./rig.js";
import { startReceiver, until } from "./receiver.js";

const dir = () => mkdtempSync(join(tmpdir(), "swd-secret-"));

describe("the notifications section", () => {
  it("is empty by default: no channel, no reminder, metrics listener off", () => {
    const config = parseConfig({});
    expect(config.notifications).toMatchObject({ channels: [], reminder: null, budgetLowLeft: 1, outbox: { maxEvents: 1000, maxAge: 7 * 86_400_000 }, retry: { initial: 5000, max: 1_800_000 } });
    expect(config.metrics.listen).toBeNull();
  });

  it.each([
    [{ notifications: { channels: [{ type: "webhook", name: "a", url: "ftp://127.0.0.1/x" }] } }, /notifications\.channels\.0\.url: an http:\/\/ or https:\/\/ URL \(got "ftp:\/\/127\.0\.0\.1\/x"\)/],
    [{ notifications: { channels: [{ type: "webhook", name: "a", url: "http://127.0.0.1/x", format: "teams" }] } }, /notifications\.channels\.0\.format: .*\(got "teams"\)/],
    [{ notifications: { channels: [{ type: "pager", name: "a" }] } }, /notifications\.channels\.0\.type: .*\(got "pager"\)/],
    [{ notifications: { channels: [{ type: "ntfy", name: "a" }] } }, /notifications\.channels\.0\.url: give exactly one of url \(the topic URL\) or urlFrom/],
    [{ notifications: { channels: [{ type: "webhook", name: "a", url: "http://127.0.0.1/", token: { file: "/a", credential: "b" } }] } }, /notifications\.channels\.0\.token: give exactly one of file or credential/],
    [{ notifications: { channels: [{ type: "webhook", name: "a", url: "http://127.0.0.1/", events: ["gave-up", "exploded"] }] } }, /notifications\.channels\.0\.events\.1: .*\(got "exploded"\)/],
    [{ notifications: { channels: [{ type: "ntfy", name: "a", url: "http://127.0.0.1/t" }, { type: "ntfy", name: "a", url: "http://127.0.0.1/u" }] } }, /notifications\.channels\.1\.name: channel name "a" is used twice/],
    [{ notifications: { reminder: "often" } }, /notifications\.reminder: .*\(got "often"\)/],
    [{ notifications: { channels: [{ type: "webhook", name: "a", url: "http://127.0.0.1/", timeout: 0 }] } }, /notifications\.channels\.0\.timeout: not a positive duration/],
    [{ metrics: { listen: "everywhere" } }, /metrics\.listen: an address and port such as "127\.0\.0\.1:9465".*\(got "everywhere"\)/],
    [{ notifications: { chanels: [] } }, /notifications: .*chanels/],
  ])("refuses %j, naming the key and the value", (document, message) => {
    expect(() => parseConfig(document)).toThrow(ConfigError);
    expect(() => parseConfig(document)).toThrow(message);
  });

  it("takes every channel type with routing, a reminder and the metrics listener", () => {
    const config = parseConfig({
      notifications: {
        reminder: "4h",
        channels: [
          { type: "ntfy", name: "phone", url: "http://127.0.0.1:8080/alerts", severities: ["critical"] },
          { type: "webhook", name: "am", format: "alertmanager", url: "http://127.0.0.1:9093", events: ["gave-up", "human-needed", "resolved"] },
          { type: "webhook", name: "slack", format: "slack", urlFrom: { credential: "slack-url" } },
        ],
      },
      metrics: { listen: "127.0.0.1:9465" },
    });
    expect(config.notifications.reminder).toBe(4 * 3_600_000);
    expect(config.notifications.channels.map((c) => c.name)).toEqual(["phone", "am", "slack"]);
    expect(config.metrics.listen).toBe("127.0.0.1:9465");
  });
});

describe("secrets", () => {
  it("come from a file (first line) or from $CREDENTIALS_DIRECTORY/<name>", () => {
    const d = dir();
    writeFileSync(join(d, "token"), "tk_from_file\nignored\n");
    writeFileSync(join(d, "ntfy-token"), "tk_from_credential\n");
    expect(readSecret({ file: join(d, "token") }, "k")).toBe("tk_from_file");
    expect(readSecret({ credential: "ntfy-token" }, "k", { CREDENTIALS_DIRECTORY: d })).toBe("tk_from_credential");
  });

  it("a missing secret is a config error naming the key and the file, never a value", () => {
    expect(() => readSecret({ file: "/nonexistent/token" }, "notifications.channels.0.token")).toThrow(SecretError);
    expect(() => readSecret({ file: "/nonexistent/token" }, "notifications.channels.0.token")).toThrow("notifications.channels.0.token: cannot read /nonexistent/token: ENOENT");
    expect(() => readSecret({ credential: "x" }, "notifications.channels.0.token", {})).toThrow(/needs \$CREDENTIALS_DIRECTORY \(LoadCredential=x:\/path in the unit\)/);
    const config = parseConfig({ notifications: { channels: [{ type: "webhook", name: "s", format: "slack", urlFrom: { file: "/nonexistent/url" } }] } });
    expect(() => buildChannels(config.notifications.channels, {})).toThrow("notifications.channels.0.urlFrom: cannot read /nonexistent/url: ENOENT");
  });

  it("a token and a secret URL are used for the request but never logged, queued or shown in the status counts", async () => {
    const receiver = await startReceiver("fail-500");
    const d = dir();
    const token = "tk_NEVER_LOGGED_4242";
    const secretPath = "/hook/SECRET-PATH-T00000000";
    writeFileSync(join(d, "token"), `${token}\n`);
    writeFileSync(join(d, "url"), `${receiver.url}${secretPath}\n`);
    const config = parseConfig({ notifications: { retry: { initial: "100ms", max: "200ms" }, channels: [{ type: "webhook", name: "s", urlFrom: { file: join(d, "url") }, token: { file: join(d, "token") } }] } });
    const rig = createRig();
    const told = createNotifications({ config, outbox: rig.outbox, channels: buildChannels(config.notifications.channels), clock: { now: () => Date.now() }, logger: rig.logger, node: "songnodes" });
    const now = Date.now();
    const report: IterationReport = { now, phase: "gave-up", observations: {} as IterationReport["observations"], commands: [{ kind: "announce", level: "err", key: `gave-up:k3s-down:${now}`, message: "gave up on k3s-down" }], outcomes: [], notes: [], wakeAt: null, decideMs: 0, durationMs: 0 };
    told.observe(report, initialState(now, []));
    await until("two failed attempts", () => receiver.requests.length >= 2);
    receiver.behaviour = "ok";
    await until("the delivery", () => told.stats().delivered === 1, 5_000);
    await told.stop();
    expect(receiver.requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(receiver.requests[0]!.path).toBe(secretPath);
    const everything = [...rig.logger.lines, JSON.stringify(rig.db.prepare("SELECT * FROM notification_outbox").all()), JSON.stringify(told.stats())].join("\n");
    expect(everything).toContain("gave up on k3s-down");
    expect(everything).not.toContain(token);
    expect(everything).not.toContain("SECRET-PATH");
    await rig.close();
    await receiver.close();
  });
});
