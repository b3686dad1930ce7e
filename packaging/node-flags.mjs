// V8 flags the package's launcher (/usr/bin/songnodes-watchdog) gives the bundled Node.
/** Flags placed before the script; measured in bench/cost. */
export const NODE_FLAGS = [];
