// The scenarios, in the order they run against one container (each leaves it as it found it).
import { journaldPriorities } from "./journald-priorities.mjs";
import { standIns } from "./stand-ins.mjs";
import { unitInstalled } from "./unit-installed.mjs";

/** Every scenario of `npm run test:system`. */
export const SCENARIOS = [unitInstalled, journaldPriorities, standIns];
