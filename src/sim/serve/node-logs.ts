// The simulated node's log files on disk: containerd.log as k3s's embedded containerd appends to it
// (/var/lib/rancher/k3s/agent/containerd/containerd.log; a bbolt panic after an unclean shutdown
// lands here) and the k3s journal of the current start attempt, which the journalctl stand-in prints.
import { appendFileSync, writeFileSync } from "node:fs";

/** Files that follow the model's text. */
export interface NodeLogs {
  readonly containerdLog: string;
  readonly k3sJournal: string;
  sync(texts: { containerdLog: string; k3sJournal: string }): void;
}

/** Start both files empty. */
export function createNodeLogs(containerdLog: string, k3sJournal: string): NodeLogs {
  let lastLog = "";
  let lastJournal = "";
  writeFileSync(containerdLog, "");
  writeFileSync(k3sJournal, "");
  return {
    containerdLog,
    k3sJournal,
    sync(texts) {
      // containerd appends one start after another; the model holds the latest start's lines.
      if (texts.containerdLog !== lastLog && texts.containerdLog !== "") appendFileSync(containerdLog, `${texts.containerdLog}\n`);
      lastLog = texts.containerdLog;
      if (texts.k3sJournal !== lastJournal) writeFileSync(k3sJournal, texts.k3sJournal === "" ? "" : `${texts.k3sJournal}\n`);
      lastJournal = texts.k3sJournal;
    },
  };
}
