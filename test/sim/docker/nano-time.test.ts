import { describe, expect, it } from "vitest";
import { rfc3339Nano, wallClockNs } from "../../../src/sim/docker/nano-time.js";

describe("dockerd's times in the Engine API stand-in", () => {
  it("writes nanoseconds as Go's RFC3339Nano: trailing zeros dropped, no fraction for a whole second", () => {
    expect(rfc3339Nano(1_796_166_910_214_464_213n)).toBe("2026-12-01T23:15:10.214464213Z");
    expect(rfc3339Nano(1_796_166_910_214_000_000n)).toBe("2026-12-01T23:15:10.214Z");
    expect(rfc3339Nano(1_796_166_910_000_000_000n)).toBe("2026-12-01T23:15:10Z");
  });

  it("reads the wall clock to the nanosecond", () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const now = wallClockNs();
    expect(now >= before - 5_000_000n && now <= before + 1_000_000_000n).toBe(true);
    expect(new Set(Array.from({ length: 5 }, () => wallClockNs() % 1_000_000n)).size).toBeGreaterThan(1);
  });
});
