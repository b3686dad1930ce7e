// `songnodes-watchdog status` for people, shaped like `systemctl status`: a headline with a coloured
// dot, the essentials as aligned "Key: value" lines, then each probe and each budget.
import { cacheAgeText } from "../../kube/cache-age.js";
import { formatDuration } from "../../config/duration.js";
import { PROBE_NAMES, type Health, type Phase } from "../../core/types.js";
import type { StatusView } from "../../status/status-view.js";
import type { Paint } from "./colour.js";
import { formatWhen } from "./time.js";
import { wrap } from "./wrap.js";

function phaseColour(phase: Phase, paint: Paint): (text: string) => string {
  if (phase === "healthy") return paint.green;
  if (phase === "gave-up") return paint.red;
  return paint.yellow;
}

function healthColour(health: Health, paint: Paint): (text: string) => string {
  return health === "ok" ? paint.green : health === "bad" ? paint.red : paint.yellow;
}

const key = (name: string) => `${name.padStart(11)}: `;

function bootLine(view: StatusView): string {
  const boot = `${view.bootId.slice(0, 8)}, booted ${formatDuration(view.sinceBootMs)} ago`;
  if (view.timeToHealthyMs !== null) return `${boot}; healthy after ${formatDuration(view.timeToHealthyMs)}`;
  return `${boot}; not healthy yet (${formatDuration(view.elapsedMs ?? view.sinceBootMs)} so far)`;
}

function pauseLine(view: StatusView, paint: Paint): string {
  if (!view.pause) return "no";
  return paint.yellow(`until ${formatWhen(view.pause.until, view.now)}`) +
    ` — ${view.pause.reason} (by ${view.pause.by})`;
}

function ladderLine(view: StatusView): string {
  if (!view.ladder) return "idle";
  const remedy = view.ladder.remedy ? ` (${view.ladder.remedy})` : "";
  return `${view.ladder.symptom}: rung ${view.ladder.rung + 1}${remedy}, verifying until ${formatWhen(view.ladder.verifyUntil, view.now)}`;
}

function lastActionLine(view: StatusView, paint: Paint): string {
  const last = view.lastAction;
  if (!last) return "none";
  const colour = last.outcome === "succeeded" ? paint.green : last.outcome === "failed" || last.outcome === "interrupted" ? paint.red : paint.yellow;
  return `${last.kind} ${colour(last.outcome)} ${formatWhen(last.at, view.now)}: ${last.detail}`;
}

// The outbox as /metrics and status --json count it; a drop is a message that never reached a person.
function notifyLine(counts: NonNullable<StatusView["notifications"]>, paint: Paint): string {
  const waiting = `${counts.queued} waiting`;
  const dropped = `${counts.dropped} dropped undelivered`;
  return `${counts.queued > 0 ? paint.yellow(waiting) : waiting}, ${counts.delivered} delivered, ${counts.failed} failed attempts, ${counts.dropped > 0 ? paint.red(dropped) : dropped}`;
}

function verdictColour(view: StatusView, paint: Paint): (text: string) => string {
  const verdict = view.verdict.verdict;
  return verdict === "healthy" ? paint.green : verdict === "unhealthy" ? paint.red : paint.yellow;
}

// "Key: value" lines wrap under their value, so every line fits 80 columns.
const under = " ".repeat(key("").length);
const field = (name: string, value: string) => wrap(`${key(name)}${value}`, under);

/** The whole human status text (ends with a newline); every line fits 80 columns. */
export function renderStatus(view: StatusView, paint: Paint): string {
  const colour = phaseColour(view.phase, paint);
  const verdict = verdictColour(view, paint);
  const lines = [
    ...wrap(`${verdict("●")} songnodes-watchdog — ${paint.bold(verdict(`${view.verdict.verdict}: ${view.verdict.cause}`))}`, "  "),
    ...(view.verdict.detail ? field("Why", view.verdict.detail) : []),
    ...field("Phase", `${colour(view.phase)} since ${formatWhen(view.phaseSince, view.now)}`),
    ...field("Boot", bootLine(view)),
    ...field("Paused", pauseLine(view, paint)),
    ...field("Dry-run", view.dryRun ? paint.yellow("yes: remedies are recorded, not taken") : "no"),
    ...field("Ladder", ladderLine(view)),
  ];
  if (view.gaveUp) {
    const retry = view.gaveUp.retryAt === null ? "after a manual resume" : formatWhen(view.gaveUp.retryAt, view.now);
    lines.push(...field("Gave up", `${paint.red(view.gaveUp.why)} ${formatWhen(view.gaveUp.at, view.now)}; acts again ${retry}`));
  }
  if (view.trouble) {
    lines.push(`${key("Trouble")}${paint.red(`${view.trouble.failures} iterations failed in a row: ${view.trouble.lastError}`)} (since ${formatWhen(view.trouble.since, view.now)}); no remedy is taken`);
  }
  lines.push(
    ...field("Last action", lastActionLine(view, paint)),
    ...field("Daemon", `version ${view.version}, up ${formatDuration(view.uptimeMs)}`),
    ...(view.notifications ? field("Notify", notifyLine(view.notifications, paint)) : []),
    "",
    paint.bold("Probes:"),
  );
  const width = Math.max(...PROBE_NAMES.map((name) => name.length));
  const hang = " ".repeat(2 + 2 + width + 2 + 7 + 2);
  for (const name of PROBE_NAMES) {
    const probe = view.probes[name];
    if (!probe) continue;
    const health = healthColour(probe.status, paint);
    const age = cacheAgeText(probe.heardAt, view.now);
    lines.push(...wrap(`  ${health("●")} ${name.padEnd(width)}  ${health(probe.status.padEnd(7))}  ${probe.reason} ${paint.dim(`(for ${formatDuration(Math.max(0, view.now - probe.since))}${age ? `, ${age}` : ""})`)}`, hang));
  }
  lines.push("", paint.bold("Budgets:"));
  for (const budget of view.budgets) {
    const left = budget.left === 0 ? paint.red(`${budget.left} left`) : `${budget.left} left`;
    lines.push(...wrap(`  ${budget.kind.padEnd(16)}  ${budget.used}/${budget.max} used in the last ${formatDuration(budget.windowMs)}, ${left}`, " ".repeat(20)));
  }
  // The scheduled checks in one line each that is not ok; `maintenance` shows them all.
  if (view.maintenance) {
    const notOk = view.maintenance.filter((c) => c.lastRun && c.lastRun.level !== "ok");
    lines.push("", paint.bold("Maintenance:"), ...(notOk.length === 0 ? [`  every check ok or not run yet (${view.maintenance.length} scheduled)`] : []));
    for (const c of notOk) lines.push(...wrap(`  ${c.lastRun!.level === "crit" ? paint.red("crit") : c.lastRun!.level === "warn" ? paint.yellow("warn") : "unknown"} ${c.name}: ${c.lastRun!.reason}`, "    "));
  }
  return `${lines.join("\n")}\n`;
}
