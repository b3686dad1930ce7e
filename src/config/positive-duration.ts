// A positive duration in a config section ("30s", "5m", 90), held in milliseconds: the shape the
// notification and runbook-check sections share (the core's timings have ranges of their own).
import { z } from "zod";
import { parseDuration } from "./duration.js";

/** A duration greater than zero, `fallback` when the key is absent. */
export const positiveDuration = (fallback: string) =>
  z
    .union([z.string(), z.number()])
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === null || ms <= 0) {
        ctx.addIssue({ code: "custom", message: `not a positive duration (use 90, "30s", "5m", "1h"): ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      return ms;
    });
