// The daemon's version, reported by --version, the status socket and /metrics.
export const VERSION = "0.1.0";
