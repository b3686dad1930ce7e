import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer, type ApiServerHandle } from "../../../src/sim/kube/api-server.js";
import { createObjectStore } from "../../../src/sim/kube/store.js";
import type { ObjectStore } from "../../../src/sim/kube/store-types.js";
import { call, openWatch } from "./https-client.js";
import { seedSongNodes } from "./songnodes-fixture.js";

const TOKEN = "fault-token";
const PODS = "/api/v1/namespaces/songnodes/pods";

let dir: string;
let store: ObjectStore;
let server: ApiServerHandle;
const get = (path: string, timeoutMs = 3000) => call(server.url, server.caCert, path, { token: TOKEN, timeoutMs });
const errorCode = (promise: Promise<unknown>) => promise.then(() => "answered", (e: NodeJS.ErrnoException) => e.code ?? e.message);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sim-kube-faults-"));
  store = createObjectStore({ now: () => Date.now() });
  seedSongNodes(store);
  server = await startApiServer({ store, token: TOKEN, dir });
});

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("the API server's fault modes", () => {
  it("down: the listener is closed, connections are refused, and ok brings it back on the same port", async () => {
    await server.setMode("down");
    expect(await errorCode(get("/readyz"))).toBe("ECONNREFUSED");
    await server.setMode("ok");
    const res = await get("/readyz");
    expect(res.status).toBe(200);
    expect(new URL(server.url).port).toBe(String(server.port));
  });

  it("error500: every request answers a 500 Status and /readyz reports etcd failed", async () => {
    await server.setMode("error500");
    const pods = await get(PODS);
    expect(pods.status).toBe(500);
    expect(pods.json()).toMatchObject({ kind: "Status", status: "Failure", code: 500, reason: "InternalError" });
    const ready = await get("/readyz");
    expect(ready.status).toBe(500);
    expect(ready.text).toContain("[-]etcd failed");
    await server.setMode("ok");
    expect((await get(PODS)).status).toBe(200);
  });

  it("hang: connections are accepted and never answered, so only the client's timeout ends them", async () => {
    await server.setMode("hang");
    expect(await errorCode(get("/readyz", 300))).toBe("client timeout");
    await server.setMode("ok");
    expect((await get("/readyz")).status).toBe(200);
  });

  it("garbage: 200 with a body that is not JSON", async () => {
    await server.setMode("garbage");
    const res = await get(PODS);
    expect(res.status).toBe(200);
    expect(() => res.json()).toThrow(SyntaxError);
    await server.setMode("ok");
  });

  it("stop() ends open watches and refuses connections; start() listens on the same port again", async () => {
    const port = server.port;
    const watch = await openWatch(server.url, server.caCert, `${PODS}?watch=1`, TOKEN);
    await watch.waitFor(1);
    await server.stop();
    await watch.ended;
    expect(await errorCode(get("/readyz"))).toBe("ECONNREFUSED");
    await server.start();
    expect(server.port).toBe(port);
    const res = await get(PODS);
    expect(res.json().items.length).toBe(store.list("pods", "songnodes").items.length);
  });
});
