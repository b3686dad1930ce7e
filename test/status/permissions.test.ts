// Who may talk to which socket, checked with real unprivileged processes: children run as `nobody`
// through setpriv, inside and outside a temporary status group made for this test.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explain } from "../../src/status/client.js";
import { lookUpGid } from "../../src/status/group.js";
import { startHarness, type Harness } from "./harness.js";

const run = promisify(execFile);
const GROUP = `snw-status-${process.pid}`;
const runsAsRoot = process.getuid?.() === 0;

/** Run argv as nobody with exactly the supplementary groups given (none: --clear-groups). */
async function asNobody(groups: number[], argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const groupFlag = groups.length > 0 ? `--groups=${groups.join(",")}` : "--clear-groups";
  try {
    const { stdout, stderr } = await run("setpriv", ["--reuid=nobody", "--regid=nogroup", groupFlag, ...argv], { timeout: 10_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A tiny node client run as nobody: prints the HTTP status, or the connect error's code. */
const nodeClient = (socketPath: string, method: string, path: string, body = "") => [
  process.execPath, "-e",
  `const r = require("http").request({ socketPath: ${JSON.stringify(socketPath)}, method: ${JSON.stringify(method)}, path: ${JSON.stringify(path)},
     headers: { "content-type": "application/json" } }, (res) => { console.log("HTTP " + res.statusCode); res.resume(); });
   r.on("error", (e) => console.log(e.code)); r.end(${JSON.stringify(body)});`,
];

// Creating groups and switching users needs root; the CI runs these tests as root.
// Needs root to create a group and run children as nobody; CI runs as root.
describe.skipIf(!runsAsRoot)(`socket permissions for unprivileged users${runsAsRoot ? "" : " (skipped: not root)"}`, () => {
  let h: Harness;
  let gid: number;

  beforeAll(async () => {
    await run("groupadd", [GROUP]);
    gid = lookUpGid(GROUP) ?? -1;
    h = await startHarness({ group: GROUP });
  });

  afterAll(async () => {
    await h?.cleanup();
    await run("groupdel", [GROUP]).catch(() => undefined);
  });

  it("gives status.sock to the configured group, mode 0660", async () => {
    expect(gid).toBeGreaterThan(0);
    const { stdout } = await run("stat", ["-c", "%a %G", h.server.statusPath]);
    expect(stdout.trim()).toBe(`660 ${GROUP}`);
  });

  it("lets an unprivileged member of the status group read the status with curl", async () => {
    const result = await asNobody([gid], ["curl", "--silent", "--show-error", "--max-time", "5", "--unix-socket", h.server.statusPath, "http://localhost/v1/status"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ phase: "healthy", version: "0.1.0-test" });
  });

  it("refuses the same user outside the group", async () => {
    const curl = await asNobody([], ["curl", "--silent", "--max-time", "5", "--unix-socket", h.server.statusPath, "http://localhost/v1/status"]);
    expect(curl.code).not.toBe(0);
    expect(curl.stdout).toBe("");
    const node = await asNobody([], nodeClient(h.server.statusPath, "GET", "/v1/status"));
    expect(node.stdout.trim()).toBe("EACCES");
  });

  it("lets no unprivileged user through the control socket, not even one in the root group", async () => {
    for (const groups of [[gid], [0, gid], []]) {
      const pause = await asNobody(groups, nodeClient(h.server.controlPath, "POST", "/v1/pause", JSON.stringify({ duration: "1h", reason: "sneaky" })));
      expect(pause.stdout.trim()).toBe("EACCES");
      const resume = await asNobody(groups, ["curl", "--silent", "--max-time", "5", "-X", "POST", "--unix-socket", h.server.controlPath, "http://localhost/v1/resume"]);
      expect(resume.code).not.toBe(0);
    }
    expect(h.journal.currentPause(h.clock.now())).toBeNull();
    expect(h.journal.history({ kind: "pause" })).toEqual([]);
  });

  it("refuses control endpoints on status.sock even to a member of the status group", async () => {
    const pause = await asNobody([gid], nodeClient(h.server.statusPath, "POST", "/v1/pause", JSON.stringify({ duration: "1h", reason: "sneaky" })));
    expect(pause.stdout.trim()).toBe("HTTP 403");
    expect(h.journal.currentPause(h.clock.now())).toBeNull();
  });

  it("tells a refused user which group to ask for, and that control.sock needs sudo", () => {
    const denied = Object.assign(new Error("connect EACCES"), { code: "EACCES" });
    expect(explain(denied, h.server.statusPath, 5000).message).toBe(
      `permission denied on ${h.server.statusPath}: ask to be added to group ${GROUP} (or use sudo)`,
    );
    expect(explain(denied, h.server.controlPath, 5000).message).toContain("root only; run this command with sudo");
  });
});
