// Socket permissions inside the container: a member of the configured status group gets
// `songnodes-watchdog status`; a user outside it does not; control is refused to every
// unprivileged user, and the socket files carry the modes the unit and daemon promise.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { STATUS_GROUP } from "../lib/install.mjs";
import { DAEMON, STATUS_CLI } from "../lib/needs.mjs";
import { cli, status, waitForPhase } from "../lib/watchdog.mjs";

/** Scenario: socket-permissions. */
export const socketPermissions = {
  name: "socket-permissions",
  title: "status for the status group only; control for root only",
  timeoutMs: 60_000,
  needs: [DAEMON, STATUS_CLI],
  async run({ machine }) {
    await waitForPhase(machine, "healthy");
    const statusSock = statSync(machine.livePath("/run/songnodes-watchdog/status.sock"));
    const controlSock = statSync(machine.livePath("/run/songnodes-watchdog/control.sock"));
    assert.equal(statusSock.mode & 0o777, 0o660, "status.sock is not 0660");
    assert.equal(controlSock.mode & 0o777, 0o600, "control.sock is not 0600");
    const gid = (await machine.execOk(["getent", "group", STATUS_GROUP])).stdout.split(":")[2];
    assert.equal(String(statusSock.gid), gid, `status.sock is not in group ${STATUS_GROUP}`);

    const member = await cli(machine, ["status", "--json"], { user: "alice" });
    assert.equal(member.code, 0, `a status-group member was refused: ${member.stderr}`);
    assert.equal(member.json?.phase, "healthy");
    const outsider = await cli(machine, ["status", "--json"], { user: "bob" });
    assert.notEqual(outsider.code, 0, "a user outside the status group read the status");
    for (const user of ["alice", "bob", "nobody"]) {
      const paused = await cli(machine, ["pause", "--for", "5m", "--reason", `tried by ${user}`], { user });
      assert.notEqual(paused.code, 0, `${user} could pause the watchdog`);
    }
    assert.equal((await status(machine)).pause, null, "an unprivileged user managed to pause the watchdog");
  },
};
