// A private dbus-daemon on a unix socket in a directory of ours: where the systemd1 stand-in owns
// org.freedesktop.systemd1 without touching the machine's system bus. It can be restarted on the
// same socket path, so a client's reconnect can be tested against a real daemon.
import { rmSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";

type ChildProcess = ResultPromise<{ stdin: "ignore"; buffer: false; reject: false }>;

/** A running private bus. `address` stays the same across restarts. */
export interface PrivateBus {
  readonly address: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export interface PrivateBusOptions {
  /** Extra user names allowed to connect (the user running this is always allowed). */
  users?: string[];
  /** How long dbus-daemon may take to print its address. */
  startTimeoutMs?: number;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The daemon configuration: one socket, EXTERNAL auth, and a policy that lets the stand-in own systemd1. */
function busConfig(socketPath: string, users: string[]): string {
  const allowUsers = users.map((user) => `    <allow user="${escapeXml(user)}"/>`).join("\n");
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>custom</type>
  <listen>unix:path=${escapeXml(socketPath)}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
${allowUsers}
    <allow own="org.freedesktop.systemd1"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
`;
}

/** Every daemon we started, killed if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A started daemon; a wrapper because an execa subprocess is itself a promise, which resolve() would await. */
interface Launched {
  child: ChildProcess;
}

/** Starts `dbus-daemon --nofork --print-address` and waits for the address line. */
function launch(configPath: string, timeoutMs: number): Promise<Launched> {
  return new Promise((resolve, reject) => {
    // execa, argument array; reject: false, as the exit is watched below and not awaited.
    const child: ChildProcess = execa("dbus-daemon", [`--config-file=${configPath}`, "--nofork", "--print-address"], {
      stdin: "ignore",
      buffer: false,
      reject: false,
    });
    running.add(child);
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => fail(new Error(`dbus-daemon printed no address within ${timeoutMs} ms: ${stderr.trim()}`)), timeoutMs);
    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    }
    child.once("error", (error) => fail(new Error(`cannot start dbus-daemon: ${error.message}`)));
    child.once("exit", (code, signal) => {
      running.delete(child);
      fail(new Error(`dbus-daemon exited (${code ?? signal}) before printing its address: ${stderr.trim()}`));
    });
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!stdout.includes("\n")) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.once("exit", () => running.delete(child));
      resolve({ child });
    });
  });
}

/** Stops `child` with SIGTERM, SIGKILL after a second, and waits for it to be gone. */
function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 1_000);
    child.once("exit", () => {
      clearTimeout(kill);
      running.delete(child);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Starts a private bus with its socket and config in `dir` (a directory the caller owns and removes). */
export async function startPrivateBus(dir: string, options: PrivateBusOptions = {}): Promise<PrivateBus> {
  const socketPath = join(dir, "system_bus_socket");
  const configPath = join(dir, "bus.conf");
  const users = [...new Set([userInfo().username, ...(options.users ?? [])])];
  writeFileSync(configPath, busConfig(socketPath, users));
  const timeoutMs = options.startTimeoutMs ?? 5_000;
  let child: ChildProcess | null = (await launch(configPath, timeoutMs)).child;

  return {
    // The address without the guid, so it still names the bus after a restart (new guid).
    address: `unix:path=${socketPath}`,
    get pid() {
      return child?.pid;
    },
    async stop() {
      if (child) await terminate(child);
      child = null;
      rmSync(socketPath, { force: true });
    },
    async restart() {
      if (child) await terminate(child);
      rmSync(socketPath, { force: true });
      child = (await launch(configPath, timeoutMs)).child;
    },
  };
}
