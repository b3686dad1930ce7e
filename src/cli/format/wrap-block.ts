// A message of one or more lines (an error, a note) fitted into 80 columns: each line wraps at
// word boundaries and its continuation is indented, so a long path or reason never runs off a
// terminal. Used for everything the CLI says on stderr.
import { wrap } from "./wrap.js";

/** `text` with each of its lines wrapped, continuations indented by `indent`. */
export function wrapBlock(text: string, indent = "  "): string {
  return text.split("\n").map((line) => wrap(line, indent).join("\n")).join("\n");
}

/** Write `text` (one message, without the final newline) to `stream`, fitted into 80 columns. */
export function say(stream: { write(text: string): unknown }, text: string): void {
  stream.write(`${wrapBlock(text)}\n`);
}
