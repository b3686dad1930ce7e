// One booted Debian container: an overlay over the cached rootfs (so the cache stays pristine and
// a reboot keeps what the last boot wrote), systemd-nspawn --boot, and commands run inside with
// nsenter into the container's PID 1.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { killGroup, run, runOk, waitFor } from "./exec.mjs";
import { unmountUnder } from "./mounts.mjs";

const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** A container over `rootfs`, with its writable layer and console log in `workDir`. */
export function createMachine({ rootfs, workDir, binds = [], name = "songnodes-node" }) {
  const root = join(workDir, "root");
  let lower = rootfs;
  let nspawn = null;
  let exited = null;
  let pid1 = null;
  let boots = 0;

  async function mountRoot() {
    if (!lower) throw new Error("no rootfs to boot");
    if (readFileSync("/proc/self/mountinfo", "utf8").includes(` ${root} `)) return;
    for (const dir of ["upper", "work", "root"]) mkdirSync(join(workDir, dir), { recursive: true });
    await runOk(["mount", "-t", "overlay", "overlay", "-o", `lowerdir=${lower},upperdir=${join(workDir, "upper")},workdir=${join(workDir, "work")}`, root], { timeoutMs: 10_000 });
  }

  /** Boot, and wait until systemd inside says the system is running (or degraded). */
  async function boot({ timeoutMs = 30_000 } = {}) {
    await mountRoot();
    boots += 1;
    const console = openSync(join(workDir, `console-${boots}.log`), "a");
    const argv = [
      "--boot", "--register=no", "--keep-unit", "--console=passive", "--private-network",
      `--directory=${root}`, `--machine=${name}`, `--hostname=${name}`,
      ...binds.map(({ from, to }) => `--bind-ro=${from}:${to ?? from}`),
    ];
    nspawn = spawn("systemd-nspawn", argv, { detached: true, stdio: ["ignore", console, console] });
    closeSync(console);
    exited = new Promise((resolve) => nspawn.once("exit", (code, signal) => resolve({ code, signal })));
    let gone = false;
    exited.then(() => (gone = true));
    pid1 = await waitFor("the container's PID 1 (the child of systemd-nspawn)", () => {
      if (gone) throw new Error(`systemd-nspawn exited; see ${join(workDir, `console-${boots}.log`)}`);
      return childOf(nspawn.pid);
    }, { timeoutMs });
    // systemctl (as root) talks to /run/systemd/private, which systemd opens a moment after exec.
    await waitFor("systemd's private socket in the container", () => {
      if (gone) throw new Error(`systemd-nspawn exited; see ${join(workDir, `console-${boots}.log`)}`);
      return existsSync(`/proc/${pid1}/root/run/systemd/private`);
    }, { timeoutMs, intervalMs: 50 });
    // is-system-running answers "starting" until the boot job queue is empty; --wait blocks until then.
    const state = await exec(["systemctl", "is-system-running", "--wait"], { timeoutMs });
    const said = state.stdout.trim();
    if (said !== "running" && said !== "degraded") throw new Error(`the container did not boot: is-system-running says "${said}" ${state.stderr}`);
    return { pid1, state: said };
  }

  /** Run `argv` inside the container as root with a clean environment. */
  function exec(argv, { timeoutMs = 30_000, input, env = {}, user } = {}) {
    if (pid1 === null) throw new Error("the container is not running");
    const vars = Object.entries({ PATH, HOME: "/root", LANG: "C.UTF-8", ...env }).map(([k, v]) => `${k}=${v}`);
    // setpriv (util-linux) drops to an unprivileged user with that user's supplementary groups.
    const asUser = user ? ["setpriv", `--reuid=${user}`, `--regid=${user}`, "--init-groups", "--"] : [];
    return run(["nsenter", "-t", String(pid1), "-a", "--", "env", "-i", ...vars, ...asUser, ...argv], { timeoutMs, input });
  }

  /** Like exec(), but throws when the command fails. */
  async function execOk(argv, options = {}) {
    const result = await exec(argv, options);
    if (result.code !== 0) throw new Error(`in the container: ${argv.join(" ")}: ${result.timedOut ? "timed out" : `exit ${result.code}`}\n${result.stderr}${result.stdout}`.trim());
    return result;
  }

  /**
   * A clean power-off as an operator asks for it (`systemctl poweroff`), then wait for nspawn to
   * exit; SIGKILL if it will not. Resolves with how it ended: { clean, code, signal }.
   */
  async function poweroff({ timeoutMs = 30_000 } = {}) {
    if (nspawn === null) return { clean: false, code: null, signal: null };
    const asked = await exec(["systemctl", "poweroff", "--no-block"], { timeoutMs: 10_000 });
    if (asked.code !== 0) {
      // What `machinectl poweroff` does: SIGRTMIN+4 to the container's systemd. Node knows no
      // real-time signal names (a name throws ERR_UNKNOWN_SIGNAL), so it is sent by number:
      // glibc's SIGRTMIN is 34 on Linux, and systemd is built against glibc.
      try {
        process.kill(pid1, 34 + 4);
      } catch (error) {
        if (error.code !== "ESRCH") throw error;
      }
    }
    const done = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(null), timeoutMs))]);
    if (done === null) await kill();
    nspawn = null;
    pid1 = null;
    return done === null ? { clean: false, code: null, signal: "SIGKILL" } : { clean: done.code === 0, ...done };
  }

  /** Stop the container at once (test failure, interrupt). */
  async function kill() {
    if (nspawn === null) return;
    killGroup(nspawn.pid, "SIGKILL");
    if (pid1 !== null) killGroup(pid1, "SIGKILL");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    nspawn = null;
    pid1 = null;
  }

  /** Kill, unmount and delete the writable layer. */
  async function destroy() {
    await kill();
    await unmountUnder(root);
    rmSync(workDir, { recursive: true, force: true });
  }

  return {
    boot, exec, execOk, poweroff, kill, destroy,
    /** Mount the overlay root so files can be installed before the first boot. */
    prepare: mountRoot,
    /** The cached rootfs to boot (known only after ensureRootfs). */
    setRootfs: (path) => (lower = path),
    /** The container's PID 1 as the host sees it. */
    get pid1() { return pid1; },
    /** A path inside the container, as reachable from the host while it runs. */
    hostPath: (path) => join(root, path),
    /** A path inside the running container (its /run and other mounts included), from the host. */
    livePath: (path) => `/proc/${pid1}/root${path}`,
    /** The container's system bus, reachable from the host. */
    busPath: () => `/proc/${pid1}/root/run/dbus/system_bus_socket`,
    consoleLog: () => join(workDir, `console-${boots}.log`),
  };
}

function childOf(pid) {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    // Until it has exec'd systemd the child is still nspawn's own; nsenter must wait for systemd.
    const child = children.map(Number).find((c) => readFileSync(`/proc/${c}/comm`, "utf8").trim() === "systemd");
    return child ?? null;
  } catch {
    return null;
  }
}
