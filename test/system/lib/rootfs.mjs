// The Debian bookworm rootfs the system tests boot: built once with debootstrap and cached, since
// a build takes about a minute and a boot well under a second. The build goes to a temporary
// directory that is renamed into place at the end, so an interrupted build is never used.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runOk } from "./exec.mjs";
import { unmountUnder } from "./mounts.mjs";

export const SUITE = "bookworm";
// openssl: the simulated API server makes its CA and certificate with it, as the simulator does.
const PACKAGES = ["systemd", "systemd-sysv", "dbus", "libpam-systemd", "procps", "iproute2", "openssl"];
/** Units a test container has no use for: they only slow the boot or clutter the journal. */
const MASKED = ["console-getty.service", "getty@.service", "apt-daily.timer", "apt-daily-upgrade.timer", "systemd-networkd-wait-online.service"];
/** Bump when the recipe below changes, so cached rootfs are rebuilt. */
const RECIPE = `3 ${SUITE} ${PACKAGES.join(",")} ${MASKED.join(",")}`;
const STAMP = ".songnodes-rootfs-stamp";

/** Where the rootfs is cached; SONGNODES_SYSTEM_CACHE overrides the directory. */
export function rootfsPath() {
  const base = process.env.SONGNODES_SYSTEM_CACHE ?? "/var/cache/songnodes-watchdog";
  return join(base, `rootfs-${SUITE}`);
}

/** The Debian mirror this machine's apt uses, read at run time (never written into the repository). */
export function debianMirror() {
  const candidates = [];
  for (const file of ["/etc/apt/sources.list", ...listDir("/etc/apt/sources.list.d").map((name) => join("/etc/apt/sources.list.d", name))]) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    if (file.endsWith(".sources")) {
      // deb822 stanzas: Types, URIs, Suites; take a stanza that serves the plain suite.
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name) => stanza.match(new RegExp(`^${name}:\\s*(.+)$`, "mi"))?.[1].trim().split(/\s+/) ?? [];
        if (/^\s*Enabled:\s*no/im.test(stanza)) continue;
        if (field("Types").includes("deb") && field("Suites").includes(SUITE)) candidates.push(...field("URIs"));
      }
    } else if (file.endsWith(".list")) {
      for (const line of text.split("\n")) {
        const words = line.replace(/\[[^\]]*\]/, "").trim().split(/\s+/);
        if (words[0] === "deb" && words[2] === SUITE) candidates.push(words[1]);
      }
    }
  }
  const mirror = candidates.find((uri) => /^https?:\/\//.test(uri));
  if (!mirror) throw new Error(`no "deb … ${SUITE}" source in /etc/apt/sources.list(.d): cannot pick a Debian mirror for debootstrap`);
  return mirror;
}

/** The cached rootfs, built first when it is missing or was built by another recipe. */
export async function ensureRootfs(log = console.log) {
  const target = rootfsPath();
  const stampFile = join(target, STAMP);
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === recipeHash()) return { path: target, built: false };
  mkdirSync(dirname(target), { recursive: true });
  await removeStaleBuilds(target);
  const mirror = debianMirror();
  const temp = `${target}.build-${process.pid}`;
  log(`building the ${SUITE} rootfs in ${temp} from ${mirror} (about a minute; cached afterwards)`);
  try {
    await runOk(
      ["debootstrap", "--variant=minbase", `--include=${PACKAGES.join(",")}`, SUITE, temp, mirror],
      { timeoutMs: 15 * 60_000 },
    );
    configureRootfs(temp);
    writeFileSync(join(temp, STAMP), `${recipeHash()}\n`);
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(temp, target);
  } catch (error) {
    await unmountUnder(temp);
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  return { path: target, built: true };
}

/** Files written into the fresh rootfs; no chroot needed. */
function configureRootfs(root) {
  writeFileSync(join(root, "etc/hostname"), "songnodes-node\n");
  // A fixed machine id: journalctl reads only this machine's journal files, and the reboot test
  // needs the journal of the previous boot.
  writeFileSync(join(root, "etc/machine-id"), `${randomBytes(16).toString("hex")}\n`);
  mkdirSync(join(root, "var/log/journal"), { recursive: true });
  for (const unit of MASKED) {
    const link = join(root, "etc/systemd/system", unit);
    rmSync(link, { force: true });
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync("/dev/null", link);
  }
}

async function removeStaleBuilds(target) {
  const dir = dirname(target);
  const prefix = `${target.slice(dir.length + 1)}.build-`;
  for (const name of listDir(dir)) {
    if (!name.startsWith(prefix)) continue;
    await unmountUnder(join(dir, name));
    rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function recipeHash() {
  return createHash("sha256").update(RECIPE).digest("hex").slice(0, 16);
}

function listDir(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
