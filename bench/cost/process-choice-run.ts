// Only the process-choice table: `npm run build && node dist/bench/cost/process-choice-run.js
// [--pods N] [--package-root DIR]`, DIR being a .deb unpacked with `dpkg-deb -x`. About 3 minutes
// per choice (the daemon's healthyHold, a warm-up and the 45 s window).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatProcessChoices, measureProcessChoices, processChoices } from "./process-choice.js";

const { values } = parseArgs({ options: { pods: { type: "string", default: "5000" }, "package-root": { type: "string" } } });
const root = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..");
const pods = Number(values.pods);
const choices = await measureProcessChoices(root, processChoices(root, values["package-root"]), pods, (line) => process.stderr.write(`${line}\n`));
console.log(formatProcessChoices(choices, pods));
