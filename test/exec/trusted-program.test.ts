// The check made before anything runs as root, on real files in a temporary directory (the tests run
// as root, so chown and chmod set exactly the owners and modes a hostile machine would have).
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { untrustedProgramReason } from "../../src/exec/trusted-program.js";

const NOBODY = 65534;
let root: string;

function program(path: string, mode = 0o755, uid = 0): string {
  writeFileSync(path, "#!/bin/sh\nexit 0\n");
  chownSync(path, uid, 0);
  chmodSync(path, mode);
  return path;
}

function dir(path: string, mode = 0o755, uid = 0): string {
  mkdirSync(path);
  chownSync(path, uid, 0);
  chmodSync(path, mode);
  return path;
}

beforeAll(() => {
  if (process.getuid?.() !== 0) throw new Error("these tests chown files: run them as root");
  root = mkdtempSync(join(tmpdir(), "swd-trusted-"));
  chmodSync(root, 0o755);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a program the daemon runs as root", () => {
  it("may run when it and every directory above it are root's and writable by root alone", () => {
    const bin = dir(join(root, "ok"));
    expect(untrustedProgramReason(program(join(bin, "k3s-killall.sh")))).toBeNull();
  });

  it("may run from under a root-owned sticky directory such as /tmp", () => {
    const sticky = dir(join(root, "sticky"), 0o1777);
    const bin = dir(join(sticky, "bin"));
    expect(untrustedProgramReason(program(join(bin, "tool")))).toBeNull();
  });

  it("is refused when given as a relative name, which PATH or the working directory would resolve", () => {
    expect(untrustedProgramReason("k3s-killall.sh")).toMatch(/not an absolute path/);
    expect(untrustedProgramReason("./bin/k3s-killall.sh")).toMatch(/not an absolute path/);
  });

  it("is refused when others can write it", () => {
    const bin = dir(join(root, "world"));
    const path = program(join(bin, "k3s-killall.sh"), 0o757);
    expect(untrustedProgramReason(path)).toBe(`${path} (file) is writable by others (mode 0757)`);
  });

  it("is refused when its group can write it", () => {
    const bin = dir(join(root, "group"));
    const path = program(join(bin, "k3s-killall.sh"), 0o775);
    expect(untrustedProgramReason(path)).toMatch(/writable by its group \(mode 0775\)/);
  });

  it("is refused when a local user owns it", () => {
    const bin = dir(join(root, "owned"));
    const path = program(join(bin, "k3s-killall.sh"), 0o755, NOBODY);
    expect(untrustedProgramReason(path)).toBe(`${path} (file) is owned by uid ${NOBODY}, not root`);
  });

  it("is refused when a directory above it is writable by others (they could rename it away and plant their own)", () => {
    const open = dir(join(root, "open"), 0o777);
    const bin = dir(join(open, "bin"));
    const path = program(join(bin, "k3s-killall.sh"));
    expect(untrustedProgramReason(path)).toBe(`${open} (directory above ${path}) is writable by others (mode 0777)`);
  });

  it("is refused when a directory above it belongs to a local user", () => {
    const theirs = dir(join(root, "theirs"), 0o755, NOBODY);
    const path = program(join(theirs, "k3s-killall.sh"));
    expect(untrustedProgramReason(path)).toMatch(/owned by uid 65534, not root/);
  });

  it("is refused when a root-owned symlink leads to a file a local user can write", () => {
    const home = dir(join(root, "home"), 0o755, NOBODY);
    const target = program(join(home, "evil.sh"), 0o755, NOBODY);
    const bin = dir(join(root, "linked"));
    const link = join(bin, "k3s-killall.sh");
    symlinkSync(target, link);
    expect(untrustedProgramReason(link)).toMatch(new RegExp(`^${link} leads to ${target}: .*owned by uid ${NOBODY}`));
  });

  it("is refused when a symlinked directory on the way leads somewhere others can write", () => {
    const open = dir(join(root, "open-target"), 0o777);
    const bin = dir(join(open, "bin"));
    program(join(bin, "tool"));
    const linkDir = join(root, "via-link");
    symlinkSync(bin, linkDir);
    expect(untrustedProgramReason(join(linkDir, "tool"))).toMatch(/leads to .*open-target\/bin\/tool: .*writable by others/);
  });

  it("may run through a root symlink that leads to a trusted file", () => {
    const bin = dir(join(root, "good-link"));
    const target = program(join(bin, "real"));
    symlinkSync(target, join(bin, "alias"));
    expect(untrustedProgramReason(join(bin, "alias"))).toBeNull();
  });

  it("is refused when it is missing or not a regular file", () => {
    const bin = dir(join(root, "missing"));
    expect(untrustedProgramReason(join(bin, "absent"))).toBe(`${join(bin, "absent")} does not exist`);
    expect(untrustedProgramReason(bin)).toBe(`${bin} is not a regular file`);
  });
});
