// Reading a request body with a hard size limit: control requests are a few hundred bytes, so
// anything above the limit is refused with 413 before it is buffered.
import type { IncomingMessage } from "node:http";
import { HttpError } from "./responses.js";

/** 16 KiB: far above any pause reason, far below anything that could hurt memory. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Read the body as JSON ({} when empty); 413 past `limit`, 400 when it is not JSON. */
export function readJsonBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(request.headers["content-length"] ?? "0");
  if (declared > limit) {
    return Promise.reject(new HttpError(413, "request body too large", { limitBytes: limit, declaredBytes: declared }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners("data");
        request.resume();
        reject(new HttpError(413, "request body too large", { limitBytes: limit }));
        return;
      }
      chunks.push(chunk);
    });
    request.on("error", (error) => reject(new HttpError(400, "request body could not be read", error.message)));
    request.on("end", () => {
      if (size > limit) return;
      const text = Buffer.concat(chunks).toString("utf8").trim();
      if (text === "") return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new HttpError(400, "request body is not valid JSON", (error as Error).message));
      }
    });
  });
}
