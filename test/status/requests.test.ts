// Pure parts of the sockets, table-driven: query and body validation, /etc/group parsing.
import { describe, expect, it } from "vitest";
import { parseGroupFile } from "../../src/status/group.js";
import { runtimeDirFrom } from "../../src/status/paths.js";
import { parseHistoryQuery, parsePauseBody } from "../../src/status/requests.js";
import { HttpError } from "../../src/status/responses.js";

const NOW = Date.parse("2025-11-13T10:00:00Z");
const query = (text: string) => parseHistoryQuery(new URLSearchParams(text), NOW);

describe("history query", () => {
  it.each([
    ["", { limit: 50 }],
    ["limit=1000&kind=action", { limit: 1000, kind: "action" }],
    ["since=2h", { limit: 50, since: NOW - 7_200_000 }],
    ["since=2025-11-13T09:00:00Z", { limit: 50, since: NOW - 3_600_000 }],
    [`since=${NOW - 5}`, { limit: 50, since: NOW - 5 }],
  ])("%j means %j", (text, expected) => {
    expect(query(text)).toEqual(expected);
  });

  it.each(["limit=0", "limit=1001", "limit=ten", "kind=reboot", "since=yesterday-ish", "sort=asc"])("refuses %s with 400", (text) => {
    expect(() => query(text)).toThrow(HttpError);
    try {
      query(text);
    } catch (error) {
      expect((error as HttpError).status).toBe(400);
    }
  });
});

describe("pause body", () => {
  it("takes a runbook duration, a reason and who asked", () => {
    expect(parsePauseBody({ duration: "1h30m", reason: " kernel upgrade ", by: "alice" })).toEqual({ durationMs: 5_400_000, reason: "kernel upgrade", by: "alice" });
    expect(parsePauseBody({ duration: 600, reason: "x" })).toEqual({ durationMs: 600_000, reason: "x", by: "control socket" });
  });

  it.each([
    [{ duration: "30m" }],
    [{ duration: "0s", reason: "x" }],
    [{ duration: "8d", reason: "x" }],
    [{ duration: "30m", reason: "x", extra: true }],
    [[]],
    [null],
  ])("refuses %j", (body) => {
    expect(() => parsePauseBody(body)).toThrow(/invalid body/);
  });
});

describe("/etc/group and the runtime directory", () => {
  it("reads names, gids and members, skipping broken lines", () => {
    expect(parseGroupFile("root:x:0:\nmonitoring:x:1001:prometheus,alice\nbroken\nbad:x:notanumber:\n")).toEqual([
      { name: "root", gid: 0, members: [] },
      { name: "monitoring", gid: 1001, members: ["prometheus", "alice"] },
    ]);
  });

  it("takes systemd's RUNTIME_DIRECTORY (first of several) or /run/songnodes-watchdog", () => {
    expect(runtimeDirFrom({})).toBe("/run/songnodes-watchdog");
    expect(runtimeDirFrom({ RUNTIME_DIRECTORY: "/run/a:/run/b" })).toBe("/run/a");
  });
});
