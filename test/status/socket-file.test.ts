// The sockets' files are given their group without following a link: a link swapped in for the
// freshly bound socket (a race a local user could win in a directory others can write) is refused,
// and the file it points to keeps its owner, group and mode.
import { chmodSync, chownSync, lstatSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { secureSocket, UnsafeRuntimeDirError } from "../../src/status/socket-file.js";

const dir = mkdtempSync(join(tmpdir(), "snw-sockfile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("securing a socket just bound", () => {
  it.runIf(process.getuid?.() === 0)("a link in the socket's place is refused, and root's 0600 file behind it stays root's and 0600", () => {
    const secret = join(dir, "secret");
    writeFileSync(secret, "root only\n");
    chmodSync(secret, 0o600);
    chownSync(secret, 0, 0);
    const path = join(dir, "status.sock");
    symlinkSync(secret, path);
    expect(() => secureSocket(path, 0o660, 65534)).toThrow(UnsafeRuntimeDirError);
    expect(() => secureSocket(path, 0o660, 65534)).toThrow(`${path} is not the socket just bound (replaced while binding?)`);
    const after = statSync(secret);
    expect([after.uid, after.gid, (after.mode & 0o777).toString(8)]).toEqual([0, 0, "600"]);
  });

  it.runIf(process.getuid?.() === 0)("the socket itself gets the group, with its mode from bind time", async () => {
    const path = join(dir, "real.sock");
    const previous = process.umask(0o117);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    process.umask(previous);
    secureSocket(path, 0o660, 65534);
    const stat = lstatSync(path);
    expect([stat.isSocket(), stat.uid, stat.gid, (stat.mode & 0o777).toString(8)]).toEqual([true, 0, 65534, "660"]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
