// The SQLite journal: open it, and the types the rest of the daemon sees.
export { openJournal, JournalOpenError } from "./open.js";
export { JournalVersionError, MIGRATIONS } from "./migrations.js";
export { formatDuration } from "./summary.js";
export type * from "./types.js";
