#!/usr/bin/env node
// A notification receiver inside the test container: listens on 127.0.0.1:<port>, appends every
// request's JSON body as one line to <file>, and answers 200. The scenario counts the lines.
// Usage: notify-receiver.mjs <port> <file>
import { appendFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { dirname } from "node:path";

const [port, file] = process.argv.slice(2);
mkdirSync(dirname(file), { recursive: true });
createServer((request, response) => {
  let text = "";
  request.on("data", (chunk) => (text += chunk));
  request.on("end", () => {
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = { unreadable: text.slice(0, 200) };
    }
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), path: request.url, id: request.headers["x-songnodes-event-id"] ?? null, body })}\n`);
    response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
}).listen(Number(port), "127.0.0.1", () => console.log(`notify-receiver listening on 127.0.0.1:${port}, writing ${file}`));
