// The command channel: an argument array run with execa, the event as JSON on stdin and in the
// environment, exit 0 means delivered, and a timeout kills the whole process group.
import { mkdtempSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig, ConfigError } from "../../src/config/load.js";
import { createCommandChannel } from "../../src/notifications/command-channel.js";
import { untrustedCommandReason } from "../../src/notifications/command-trust.js";
import { anEvent } from "./rig.js";
import { until } from "./receiver.js";

const fixtures = join(process.cwd(), "test", "notifications", "fixtures");
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the command channel", () => {
  it("runs the argv with the event as JSON on stdin and in $SONGNODES_EVENT; exit 0 is delivered", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "swd-cmd-")), "got");
    const event = anEvent("gave-up", "c1");
    const channel = createCommandChannel({ name: "pager", argv: [join(fixtures, "record-event.sh"), out, "two words"], timeoutMs: 5_000, route: {} });
    expect(await channel.deliver(event)).toEqual({ ok: true, detail: "exit 0", retryAfterMs: null });
    expect(JSON.parse(readFileSync(`${out}.stdin`, "utf8"))).toEqual(event);
    expect(JSON.parse(readFileSync(`${out}.env`, "utf8"))).toEqual(event);
    expect(readFileSync(`${out}.vars`, "utf8")).toBe(`${event.id} gave-up critical`);
    expect(readFileSync(`${out}.argv`, "utf8")).toBe(`${out}\ntwo words\n`);
  });

  it("a non-zero exit is a failed attempt, with the program's stderr as the reason", async () => {
    const channel = createCommandChannel({ name: "pager", argv: [join(fixtures, "fails.sh")], timeoutMs: 5_000, route: {} });
    const outcome = await channel.deliver(anEvent("gave-up", "c2"));
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toMatch(/fails\.sh: exit 3: the pager service refused the message$/);
  });

  it("a program that cannot be started is a failed attempt, not a crash", async () => {
    const channel = createCommandChannel({ name: "pager", argv: ["/nonexistent/notify"], timeoutMs: 5_000, route: {} });
    const outcome = await channel.deliver(anEvent("gave-up", "c3"));
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toBe("/nonexistent/notify: not run as root: /nonexistent/notify does not exist");
  });

  it.runIf(process.getuid?.() === 0)("a program opened to others after the config was loaded is not run as root: the delivery fails with the reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), "swd-swap-"));
    chmodSync(dir, 0o755);
    const program = join(dir, "notify.sh");
    const ran = join(dir, "ran");
    writeFileSync(program, `#!/bin/sh\necho "$SONGNODES_EVENT_ID" >> ${ran}\n`);
    chmodSync(program, 0o755);
    const channel = createCommandChannel({ name: "pager", argv: [program], timeoutMs: 5_000, route: {} });
    const before = anEvent("gave-up", "before");
    expect(await channel.deliver(before)).toEqual({ ok: true, detail: "exit 0", retryAfterMs: null });
    chmodSync(program, 0o757);
    expect(await channel.deliver(anEvent("gave-up", "after"))).toEqual({ ok: false, detail: `${program}: not run as root: ${program} (file) is writable by others (mode 0757)`, retryAfterMs: null });
    chmodSync(dir, 0o777);
    chmodSync(program, 0o755);
    expect((await channel.deliver(anEvent("gave-up", "dir"))).detail).toBe(`${program}: not run as root: ${dir} (directory above ${program}) is writable by others (mode 0777)`);
    // Run once: before it was opened to others, never after.
    expect(readFileSync(ran, "utf8")).toBe(`${before.id}\n`);
  });

  it("a program that hangs is killed with its whole process group when its timeout runs out", async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), "swd-cmd-")), "child.pid");
    const channel = createCommandChannel({ name: "pager", argv: [join(fixtures, "hangs-with-child.sh"), pidFile], timeoutMs: 700, route: {}, killGraceMs: 500 });
    const outcome = await channel.deliver(anEvent("gave-up", "c4"));
    expect(outcome).toMatchObject({ ok: false });
    expect(outcome.detail).toMatch(/did not finish within 700 ms: its process group was killed/);
    const child = Number(readFileSync(pidFile, "utf8"));
    await until("the grandchild to be gone", () => !alive(child), 5_000);
  });
});

describe("a command channel's program, checked at config load", () => {
  const config = (program: string) => ({ notifications: { channels: [{ type: "command", name: "pager", command: [program, "--flag"] }] } });

  it.runIf(process.getuid?.() === 0)("as root, a program in a world-writable directory is refused with exit-78 wording that names the key and the reason", () => {
    const open = mkdtempSync(join(tmpdir(), "swd-ww-"));
    chmodSync(open, 0o777);
    const program = join(open, "notify.sh");
    writeFileSync(program, "#!/bin/sh\nexit 0\n");
    chmodSync(program, 0o755);
    expect(() => parseConfig(config(program))).toThrow(ConfigError);
    expect(() => parseConfig(config(program))).toThrow(new RegExp(`notifications\\.channels\\.0\\.command\\.0: refused: ${open}.*writable by others`));
  });

  it.runIf(process.getuid?.() === 0)("as root, a world-writable program is refused; a root-owned 0755 one in root-owned directories is accepted", () => {
    const dir = mkdtempSync(join(tmpdir(), "swd-ok-"));
    chmodSync(dir, 0o755);
    const program = join(dir, "notify.sh");
    writeFileSync(program, "#!/bin/sh\nexit 0\n");
    chmodSync(program, 0o757);
    expect(() => parseConfig(config(program))).toThrow(/command\.0: refused: .*notify\.sh \(file\) is writable by others/);
    chmodSync(program, 0o755);
    expect(parseConfig(config(program)).notifications.channels[0]).toMatchObject({ type: "command", command: [program, "--flag"], timeout: 30_000 });
  });

  it("as another user the program is only required to be an absolute path", () => {
    expect(untrustedCommandReason("notify.sh", 1000)).toBe("notify.sh is not an absolute path");
    expect(untrustedCommandReason("/anywhere/notify.sh", 1000)).toBeNull();
  });
});
