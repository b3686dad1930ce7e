// Asking one check's trigger whether it should run besides its schedule (after a boot, after a
// rollout), within the check timeout. A trigger must not throw; if one does, it is logged and reads
// as "no": a broken trigger never stops the scheduled runs.
import { deadline } from "../exec/deadline.js";
import type { Logger } from "../ports.js";
import type { MaintenanceCheck } from "./types.js";

/** The trigger's reason to run now, or null (no trigger, no reason, or it failed). */
export async function askTrigger(check: MaintenanceCheck, context: { lastRunAt: number | null; timeoutMs: number; stop: AbortSignal; logger: Logger }): Promise<string | null> {
  if (!check.trigger) return null;
  const limit = deadline(context.timeoutMs, context.stop);
  try {
    return await check.trigger({ lastRunAt: context.lastRunAt, signal: limit.signal });
  } catch (error) {
    context.logger.warn(`maintenance ${check.name}: its trigger failed: ${(error as Error).message}`);
    return null;
  } finally {
    limit.dispose();
  }
}
