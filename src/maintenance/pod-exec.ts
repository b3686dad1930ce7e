// The real PodExec: client-node's Exec (a websocket to the API server's pods/exec), with a timeout
// that closes the socket and output capped so a runaway command cannot fill the daemon's memory.
import { Writable } from "node:stream";
import { Exec } from "@kubernetes/client-node";
import type { KubeClient } from "../kube/client.js";
import type { ExecResult, PodExec } from "./ports.js";

/** A sink that keeps at most `max` bytes and counts the rest. */
function cappedSink(max: number): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const room = Math.max(0, max - kept);
      if (room > 0) chunks.push(chunk.subarray(0, room));
      kept += Math.min(room, chunk.length);
      dropped += Math.max(0, chunk.length - room);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") + (dropped > 0 ? `\n[${dropped} more bytes not kept]` : "") };
}

/** Build the Exec port over the daemon's shared client. */
export function createPodExec(client: KubeClient): PodExec {
  return {
    async exec(target, argv, limits, signal) {
      const stdout = cappedSink(limits.maxOutputBytes);
      const stderr = cappedSink(limits.maxOutputBytes);
      const result = (partial: Partial<ExecResult>): ExecResult => ({ exitCode: null, stdout: stdout.text(), stderr: stderr.text(), timedOut: false, error: null, ...partial });
      let exec: Exec;
      try {
        exec = new Exec(client.connect().config);
      } catch (error) {
        return result({ error: (error as Error).message });
      }
      return new Promise<ExecResult>((resolve) => {
        let socket: { close(): void } | null = null;
        let settled = false;
        const finish = (answer: ExecResult) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          socket?.close();
          resolve(answer);
        };
        const timer = setTimeout(() => finish(result({ timedOut: true })), limits.timeoutMs);
        signal.addEventListener("abort", () => finish(result({ timedOut: true })), { once: true });
        exec
          .exec(target.namespace, target.pod, target.container, [...argv], stdout.stream, stderr.stream, null, false, (status) => {
            // Success carries no code; a non-zero exit is Failure with reason NonZeroExitCode and the code in details.
            const code = status.status === "Success" ? 0 : Number(status.details?.causes?.find((c) => c.reason === "ExitCode")?.message ?? Number.NaN);
            finish(result(Number.isFinite(code) ? { exitCode: code } : { error: status.message ?? "exec failed" }));
          })
          .then((ws) => {
            socket = ws;
            if (settled) ws.close();
            ws.on("close", () => setTimeout(() => finish(result({ error: "the exec stream closed without a status" })), 100));
          })
          .catch((error: Error) => finish(result({ error: error.message })));
      });
    },
  };
}
