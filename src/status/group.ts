// Group look-ups from /etc/group without a native module: the status socket's group is configured
// by name, and the CLI names the group to ask for when the socket refuses a user.
import { readFileSync } from "node:fs";

/** One /etc/group line. */
export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** Parse the text of /etc/group; malformed lines are skipped. */
export function parseGroupFile(text: string): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const line of text.split("\n")) {
    const [name, , gidText, members] = line.trim().split(":");
    if (!name || gidText === undefined || !/^\d+$/.test(gidText)) continue;
    entries.push({ name, gid: Number(gidText), members: members ? members.split(",").filter(Boolean) : [] });
  }
  return entries;
}

function readGroups(file: string): GroupEntry[] {
  try {
    return parseGroupFile(readFileSync(file, "utf8"));
  } catch {
    return [];
  }
}

/** The gid of `group` (a name, or a number given as text); null when /etc/group has no such group. */
export function lookUpGid(group: string, file = "/etc/group"): number | null {
  const found = readGroups(file).find((entry) => entry.name === group);
  if (found) return found.gid;
  return /^\d+$/.test(group) ? Number(group) : null;
}

/** The name of `gid`, or the number as text when /etc/group does not list it. */
export function lookUpGroupName(gid: number, file = "/etc/group"): string {
  return readGroups(file).find((entry) => entry.gid === gid)?.name ?? String(gid);
}
