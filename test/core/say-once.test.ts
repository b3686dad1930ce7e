// Stage sayOnce: a thing already said is not said again while it lasts.
import { describe, expect, it } from "vitest";
import { sayOnce } from "../../src/core/say-once.js";

const warn = (key: string) => ({ level: "warning" as const, key, message: `about ${key}` });

describe("said once", () => {
  it.each([
    ["a new key is said", [warn("a")], [], ["a"], ["a"]],
    ["a key already said is not said again", [warn("a")], ["a"], [], ["a"]],
    ["the same key twice in one step is said once", [warn("a"), warn("a")], [], ["a"], ["a"]],
  ])("%s", (_title, announcements, before, saidNow, after) => {
    const out = sayOnce(announcements, before);
    expect(out.commands.map((c) => (c.kind === "announce" ? c.key : c.kind))).toEqual(saidNow);
    expect(out.announced).toEqual(after);
  });
});
