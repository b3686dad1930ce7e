// The name of an earlier commit's daemon in the recovery tables (bench/recovery/before-build.ts).

/** The before column's name in every table. */
export const BEFORE = "daemon-before";
