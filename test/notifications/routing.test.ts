// Routing as configured: a channel takes the kinds (`events`) and severities (`severities`) it
// names, both when it names both, and everything when it names neither. An event goes to every
// channel that takes it, and only there: no outbox row, no request for the others.
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { buildChannels } from "../../src/notifications/build-channels.js";
import type { NotificationEvent } from "../../src/notifications/event.js";
import { createNotifications } from "../../src/notifications/notifications.js";
import { anEvent, createRig, type Rig } from "./rig.js";
import { startReceiver, until, type Receiver } from "./receiver.js";

let rig: Rig;
let receiver: Receiver;
afterEach(async () => {
  await rig?.close();
  await receiver?.close();
});

describe("routing by severity and event kind", () => {
  it("sends each event to the channels whose routing takes it, and to no other", async () => {
    receiver = await startReceiver("ok");
    const config = parseConfig({
      notifications: {
        retry: { initial: "100ms", max: "1s" },
        channels: [
          { type: "webhook", name: "pager", url: `${receiver.url}/pager`, severities: ["critical"] },
          { type: "webhook", name: "ops", url: `${receiver.url}/ops`, events: ["remedy-failed", "resolved"] },
          { type: "webhook", name: "both", url: `${receiver.url}/both`, events: ["gave-up", "budget-low"], severities: ["warning"] },
          { type: "webhook", name: "all", url: `${receiver.url}/all` },
        ],
      },
    });
    rig = createRig();
    const told = createNotifications({ config, outbox: rig.outbox, channels: buildChannels(config.notifications.channels), clock: { now: () => Date.now() }, logger: rig.logger, node: "n" });
    const events = [anEvent("gave-up", "g"), anEvent("remedy-failed", "r"), anEvent("budget-low", "b"), anEvent("resolved", "z")];
    for (const event of events) told.queue(event);

    const channelsOf = (event: NotificationEvent) =>
      (rig.db.prepare("SELECT channel FROM notification_outbox WHERE event_id = ? ORDER BY channel").pluck().all(event.id) as string[]);
    expect(events.map(channelsOf)).toEqual([
      ["all", "pager"], // gave-up: critical
      ["all", "ops"], // remedy-failed: warning, named by ops
      ["all", "both"], // budget-low: a kind "both" names, at a severity it names
      ["all", "ops"], // resolved: info
    ]);

    await until("every delivery", () => told.stats().delivered === 8);
    await told.stop();
    const kindsAt = (path: string) => receiver.requests.filter((r) => r.path === path).map((r) => (r.body as NotificationEvent).kind).sort();
    expect(kindsAt("/pager")).toEqual(["gave-up"]);
    expect(kindsAt("/ops")).toEqual(["remedy-failed", "resolved"]);
    expect(kindsAt("/both")).toEqual(["budget-low"]);
    expect(kindsAt("/all")).toEqual(["budget-low", "gave-up", "remedy-failed", "resolved"]);
    expect(told.stats()).toMatchObject({ queued: 0, delivered: 8, failed: 0, dropped: 0 });
  });
});
