// A NOTIFY_SOCKET for the daemon under measurement, as systemd's manager is one. Node has no unix
// datagram sockets, so python3 binds one and prints each datagram with the wall time it arrived
// (stamped in python, before any pipe delay), one JSON line each.
import { join } from "node:path";
import { startGroupProcess, type GroupProcess } from "./process-group.js";

const RECEIVER = [
  "import json, socket, sys, time",
  "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
  "s.bind(sys.argv[1])",
  "print('listening', flush=True)",
  "while True:",
  "    data = s.recv(65536)",
  "    print(json.dumps({'at': time.time() * 1000, 'text': data.decode('utf-8', 'replace')}), flush=True)",
].join("\n");

/** One datagram and when it arrived (ms since the epoch). */
export interface Datagram {
  at: number;
  text: string;
}

/** A listening receiver. */
export interface NotifyReceiver {
  readonly path: string;
  datagrams(): Datagram[];
  /** The first datagram with a `READY=1` line, waiting up to `timeoutMs`. */
  ready(timeoutMs: number): Promise<Datagram>;
  stop(): Promise<void>;
}

/** Bind `dir/notify.sock` and resolve once it listens. */
export async function startNotifyReceiver(dir: string): Promise<NotifyReceiver> {
  const path = join(dir, "notify.sock");
  const receiver: GroupProcess = startGroupProcess(["python3", "-c", RECEIVER, path], process.env, dir);
  try {
    await receiver.waitFor(/^listening$/m, 10_000);
  } catch (error) {
    await receiver.stop(500);
    throw error;
  }
  const datagrams = (): Datagram[] =>
    receiver.output().split("\n").filter((line) => line.startsWith("{")).flatMap((line) => {
      try {
        return [JSON.parse(line) as Datagram];
      } catch {
        return [];
      }
    });
  const readyIn = () => datagrams().find((d) => d.text.split("\n").includes("READY=1"));
  return {
    path,
    datagrams,
    async ready(timeoutMs) {
      await receiver.waitFor(/READY=1/, timeoutMs);
      const found = readyIn();
      if (!found) throw new Error(`READY=1 seen but not parsed: ${receiver.output().slice(-500)}`);
      return found;
    },
    stop: () => receiver.stop(500),
  };
}
