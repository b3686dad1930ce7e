// The one data count's settings. `maintenance.dataIntegrity` is where they live; the older
// `integrity` section (the count after each boot) names the same check, so when it is turned on its
// values are the count's: its `tolerance` is a fraction, `dropPercent` the same in percent.
import type { MaintenanceConfig } from "../config/maintenance-schema.js";
import type { Config } from "../config/schema.js";

/** The count's settings as the check uses them. */
export type DataCountSettings = MaintenanceConfig["dataIntegrity"];

/** The settings in effect: `integrity` when it is enabled, else `maintenance.dataIntegrity`. */
export function dataCountSettings(config: Pick<Config, "maintenance" | "integrity">): DataCountSettings {
  const own = config.maintenance.dataIntegrity;
  const older = config.integrity;
  if (!older.enabled) return own;
  return {
    ...own,
    enabled: true,
    pod: older.pod,
    container: older.container,
    user: older.user,
    database: older.database,
    query: older.query,
    // Rounded to a hundredth of a percent: 0.01 is 1 %, not 1.0000000000000002 %.
    dropPercent: Math.round(older.tolerance * 10_000) / 100,
  };
}

/** Why the two sections cannot both be used, or null: one count, one place to set it. */
export function dataCountConflict(config: Pick<Config, "maintenance" | "integrity">): { path: string[]; message: string } | null {
  if (config.integrity.enabled && config.maintenance.dataIntegrity.enabled) {
    return { path: ["integrity", "enabled"], message: "the data count is turned on twice: maintenance.dataIntegrity.enabled and integrity.enabled name the same check; keep maintenance.dataIntegrity (integrity is its older name) and remove the integrity section" };
  }
  if ((config.integrity.enabled || config.maintenance.dataIntegrity.enabled) && !config.maintenance.enabled) {
    const key = config.integrity.enabled ? "integrity.enabled" : "maintenance.dataIntegrity.enabled";
    return { path: ["maintenance", "enabled"], message: `${key} is true but the maintenance scheduler is off: the data count runs in it; set maintenance.enabled: true or turn the count off` };
  }
  return null;
}
