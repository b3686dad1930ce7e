// Faults for the stand-ins come from a file the scenarios write (/var/lib/system-test/faults.json),
// so they survive restarts of k3s.service and docker.service. Read at every (re)start and poll.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export const FAULTS_FILE = "/var/lib/system-test/faults.json";

/** The faults now in force; a missing or malformed file means none. */
export function readFaults() {
  try {
    return JSON.parse(readFileSync(FAULTS_FILE, "utf8")) ?? {};
  } catch {
    return {};
  }
}

/** Rewrite the file (atomically: a reader never sees half of it). */
export function writeFaults(faults) {
  mkdirSync(dirname(FAULTS_FILE), { recursive: true });
  const temp = `${FAULTS_FILE}.${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(faults, null, 2)}\n`);
  renameSync(temp, FAULTS_FILE);
}

/** journald priority prefixes, as k3s's own log lines would be read. */
export const log = {
  info: (message) => console.log(`<6>${message}`),
  warn: (message) => console.log(`<4>${message}`),
  error: (message) => console.log(`<3>${message}`),
};
