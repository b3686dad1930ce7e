import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BootIdError, readBootId } from "../../src/host/boot-id.js";

describe("the boot id", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "songnodes-boot-id-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("this machine's boot id is a UUID and stays the same within the boot", () => {
    const id = readBootId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(readBootId()).toBe(id);
  });

  it("the trailing newline procfs adds is dropped", () => {
    const path = join(dir, "boot_id");
    writeFileSync(path, "8B1EBA4D-741C-4F44-B8BC-42E5442A6B32\n");
    expect(readBootId(path)).toBe("8b1eba4d-741c-4f44-b8bc-42e5442a6b32");
  });

  it("a missing file is a clear error naming the path", () => {
    expect(() => readBootId(join(dir, "missing"))).toThrow(BootIdError);
    expect(() => readBootId(join(dir, "missing"))).toThrow(/cannot read the boot id from .*missing \(ENOENT\)/);
  });

  it("a file that is not a UUID is refused", () => {
    const path = join(dir, "boot_id");
    writeFileSync(path, "not a boot id\n");
    expect(() => readBootId(path)).toThrow(/does not hold a boot id/);
  });
});

describe("when a boot began", () => {
  it("counts from the kernel's boot when the daemon started within 10 minutes of it, else from first seen", async () => {
    const { bootStartedAt, readUptimeMs } = await import("../../src/host/boot-time.js");
    const now = Date.parse("2026-11-26T02:00:00Z");
    expect(bootStartedAt(now, 42_000)).toBe(now - 42_000);
    expect(bootStartedAt(now, 3 * 86_400_000)).toBe(now);
    expect(bootStartedAt(now, null)).toBe(now);
    expect(readUptimeMs("/nonexistent/uptime")).toBeNull();
    expect(readUptimeMs()).toBeGreaterThan(0);
  });
});
