// maintenance, maintenance run NAME, drill --done NOTE, report --month: clients of the daemon's
// sockets like status. Reads go to status.sock; running a check and recording a drill to control.sock.
import type { Command } from "commander";
import type { MaintenanceRun } from "../journal/maintenance.js";
import type { CheckStatus } from "../maintenance/runner.js";
import type { UsageTrend } from "../maintenance/checks/usage-trends.js";
import { renderMaintenance, renderReport, runLines } from "./format/maintenance-text.js";
import { formatWhen } from "./format/time.js";
import { exchange, processIo, whoAsks, type CliIo, type SocketOptions } from "./status-commands.js";

// Longer than the longest default check timeout (10 min for the dump check), so the answer arrives.
const RUN_WAIT_MS = 11 * 60_000;

const socketOptions = (command: Command, which: string) => command.option("--json", "print the daemon's JSON answer").option("--socket <path>", `the ${which} socket to ask`);

/** Register the maintenance commands. */
export function registerMaintenanceCommands(program: Command, io: CliIo = processIo()): void {
  const maintenance = socketOptions(program.command("maintenance").description("the scheduled checks: last result, last run and next run of each"), "status").action(async (options: SocketOptions) => {
    io.setExitCode(await exchange(io, options, {
      control: false, method: "GET", path: "/v1/status",
      human: (body, paint) => renderMaintenance((body as { maintenance?: CheckStatus[]; now: number }).maintenance ?? [], (body as { now: number }).now, paint),
    }));
  });
  socketOptions(maintenance.command("run").argument("<name>", "the check, as `maintenance` lists it").description("run one check now and print its result"), "control").action(async (name: string, _options: SocketOptions, command: Command) => {
    // `--socket`/`--json` may land on `maintenance` itself (commander reads a parent's options anywhere).
    const options = command.optsWithGlobals<SocketOptions>();
    io.setExitCode(await exchange(io, options, {
      control: true, method: "POST", path: "/v1/maintenance/run", body: { name, by: whoAsks(io.env) }, timeoutMs: RUN_WAIT_MS,
      human: (body) => {
        const run = (body as { run: MaintenanceRun }).run;
        return `${run.level}  ${run.check}, ${formatWhen(run.startedAt, run.finishedAt)}\n${runLines(run).join("\n")}\n`;
      },
    }));
  });
  socketOptions(program.command("drill").description("record a disaster-recovery drill (restore tested)"), "control")
    .requiredOption("--done <note>", "what was restored and how it went")
    .action(async (options: SocketOptions & { done: string }) => {
      io.setExitCode(await exchange(io, options, {
        control: true, method: "POST", path: "/v1/drill", body: { note: options.done, by: whoAsks(io.env) },
        human: (body) => `drill recorded: ${(body as { drill: { note: string } }).drill.note}\n`,
      }));
    });
  socketOptions(program.command("report").description("resource usage trends and top consumers"), "status")
    .requiredOption("--month", "the last 30 days against the 30 before")
    .option("--plot", "draw the sparklines even when stdout is not a terminal")
    .action(async (options: SocketOptions & { month: boolean; plot?: boolean }) => {
      const sparklines = options.plot === true || io.stdout.isTTY === true;
      io.setExitCode(await exchange(io, options, {
        control: false, method: "GET", path: "/v1/maintenance/report",
        human: (body) => renderReport(body as { trends: UsageTrend[]; top: number; samples: number }, sparklines),
      }));
    });
}
