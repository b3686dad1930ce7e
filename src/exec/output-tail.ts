// A child's stdout or stderr, capped: a runaway program (a killall script stuck in a loop that
// prints) must not grow the daemon's memory. The tail is kept because the end of a log says why
// a program failed.

/** Collects chunks up to `maxBytes`, dropping the oldest bytes first. */
export interface OutputTail {
  push(chunk: Buffer): void;
  /** The kept text, prefixed with how much was dropped when the cap was hit. */
  text(): string;
}

/** Start an empty capped collector. */
export function createOutputTail(maxBytes: number): OutputTail {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = 0;
  return {
    push(chunk) {
      chunks.push(chunk);
      kept += chunk.length;
      while (kept > maxBytes && chunks.length > 0) {
        const first = chunks[0] as Buffer;
        const excess = kept - maxBytes;
        if (first.length <= excess) {
          chunks.shift();
          kept -= first.length;
          dropped += first.length;
        } else {
          chunks[0] = first.subarray(excess);
          kept -= excess;
          dropped += excess;
        }
      }
    },
    text() {
      const body = Buffer.concat(chunks).toString("utf8");
      return dropped > 0 ? `[… ${dropped} earlier bytes dropped …]\n${body}` : body;
    },
  };
}
