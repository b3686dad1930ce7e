// Only the process-choice table: `npm run build && node dist/bench/cost/process-choice-run.js
// [--pods N] [--package-root DIR] [--try "FLAGS"]… [--package-only]`, DIR being a .deb unpacked
// with `dpkg-deb -x`, each --try another set of V8 flags. About 2 minutes per choice (the
// daemon's healthyHold, a warm-up and the 45 s window).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatProcessChoices, measureProcessChoices, processChoices } from "./process-choice.js";

const { values } = parseArgs({ options: {
  pods: { type: "string", default: "5000" },
  "package-root": { type: "string" },
  try: { type: "string", multiple: true, default: [] },
  "package-only": { type: "boolean", default: false },
} });
const root = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..");
const pods = Number(values.pods);
const others = values.try.map((flags) => flags.split(/\s+/).filter(Boolean));
const all = processChoices(root, values["package-root"], others);
const wanted = values["package-only"] ? all.filter((choice) => choice.launch.node !== undefined) : all;
const choices = await measureProcessChoices(root, wanted, pods, (line) => process.stderr.write(`${line}\n`));
console.log(formatProcessChoices(choices, pods));
