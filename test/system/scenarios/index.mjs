// The scenarios, in the order they run against one container; each leaves the node healthy (or
// the unit started again) for the next. bad-config and reboot run late: they restart everything;
// notify-gave-up runs after them: it swaps the config for one with a notification channel.
// The package scenarios marked `setup` always run (SONGNODES_SYSTEM_ONLY or not): package-install
// and package-upgrade put the watchdog on the node first, package-purge takes it off last.
import { badConfig } from "./bad-config.mjs";
import { boot } from "./boot.mjs";
import { journaldPriorities } from "./journald-priorities.mjs";
import { k3sFailing } from "./k3s-failing.mjs";
import { k3sKilled } from "./k3s-killed.mjs";
import { maintenanceFinding } from "./maintenance-finding.mjs";
import { notifyGaveUp } from "./notify-gave-up.mjs";
import { packageInstall } from "./package-install.mjs";
import { packageNewerJournal } from "./package-newer-journal.mjs";
import { packagePurge } from "./package-purge.mjs";
import { packageUpgrade } from "./package-upgrade.mjs";
import { reboot } from "./reboot.mjs";
import { registryDown } from "./registry-down.mjs";
import { registryRealDocker } from "./registry-real-docker.mjs";
import { socketPermissions } from "./socket-permissions.mjs";
import { standIns } from "./stand-ins.mjs";
import { unitInstalled } from "./unit-installed.mjs";
import { watchdogHung } from "./watchdog-hung.mjs";

/** Every scenario of `npm run test:system`. */
export const SCENARIOS = [
  journaldPriorities, standIns, packageInstall, packageUpgrade,
  unitInstalled, boot, socketPermissions, k3sKilled, registryDown,
  registryRealDocker, k3sFailing, watchdogHung, reboot, badConfig, maintenanceFinding, notifyGaveUp,
  packageNewerJournal, packagePurge,
];
