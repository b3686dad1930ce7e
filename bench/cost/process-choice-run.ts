// Only the process-choice table: `npm run build && node dist/bench/cost/process-choice-run.js
// [--pods N] [--package-root DIR] [--try "FLAGS"]… [--package-only]`, DIR being a .deb unpacked
// with `dpkg-deb -x`, each --try another set of V8 flags. About 2 minutes per choice (the
// daemon's healthyHold, a warm-up and the 45 s window).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatProcessChoices, measureProcessChoices, processChoices } from "./process-choice.js";

// --try takes a value that starts with dashes, which parseArgs refuses: taken out first.
const args = process.argv.slice(2);
const tries: string[] = [];
for (let at = args.indexOf("--try"); at >= 0; at = args.indexOf("--try")) tries.push(...args.splice(at, 2).slice(1));
const { values } = parseArgs({ args, options: {
  pods: { type: "string", default: "5000" },
  "package-root": { type: "string" },
  "package-only": { type: "boolean", default: false },
} });
const root = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..");
const pods = Number(values.pods);
const others = tries.map((flags) => flags.split(/\s+/).filter(Boolean));
const all = processChoices(root, values["package-root"], others);
const wanted = values["package-only"] ? all.filter((choice) => choice.launch.node !== undefined) : all;
const choices = await measureProcessChoices(root, wanted, pods, (line) => process.stderr.write(`${line}\n`));
console.log(formatProcessChoices(choices, pods));
