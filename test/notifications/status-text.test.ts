// The plain `status` text shows the notification outbox, dropped deliveries included (as /metrics
// and status --json do), within 80 columns; without notifications it says nothing of them.
import { describe, expect, it } from "vitest";
import { createPaint } from "../../src/cli/format/colour.js";
import { renderStatus } from "../../src/cli/format/status-text.js";
import { openJournal } from "../../src/journal/index.js";
import { buildStatusView } from "../../src/status/status-view.js";
import { createFakeSource } from "../status/fake-source.js";

const now = Date.now();
const source = createFakeSource(openJournal(":memory:"), { bootId: "c46d5e6a-77e4-426c-9d05-ffa86ef45a94", startedAt: now - 60_000, now: () => now });
const text = (notifications: { queued: number; delivered: number; failed: number; dropped: number } | null) =>
  renderStatus(buildStatusView({ ...source.snapshot(now), notifications }, now), createPaint(false));

describe("status text: the notification outbox", () => {
  it("shows waiting, delivered, failed attempts and dropped deliveries on one line", () => {
    expect(text({ queued: 2, delivered: 7, failed: 3, dropped: 1 }).split("\n")).toContain("     Notify: 2 waiting, 7 delivered, 3 failed attempts, 1 dropped undelivered");
  });

  it("fits 80 columns with large counts, and is absent when notifications are off", () => {
    const big = text({ queued: 123_456_789, delivered: 123_456_789_012, failed: 123_456_789_012, dropped: 123_456_789 });
    for (const line of big.split("\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(80);
    expect(big.replace(/\s+/g, " ")).toContain("Notify: 123456789 waiting, 123456789012 delivered, 123456789012 failed attempts, 123456789 dropped undelivered");
    expect(text(null)).not.toContain("Notify");
  });

  it("colours a drop red: messages that never reached a person", () => {
    const coloured = renderStatus(buildStatusView({ ...source.snapshot(now), notifications: { queued: 0, delivered: 1, failed: 0, dropped: 4 } }, now), createPaint(true));
    expect(coloured).toContain(createPaint(true).red("4 dropped undelivered"));
  });
});
