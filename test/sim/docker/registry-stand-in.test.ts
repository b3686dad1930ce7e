import http from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpRequest } from "../../../src/registry/http-request.js";
import { startRegistryRig, type RegistryRig } from "./registry-rig.js";

let rig: RegistryRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const get = (path: string, method: "GET" | "HEAD" = "GET") =>
  httpRequest({ url: `${rig?.http.url}${path}`, method, timeoutMs: 2_000 });

const SCHEMA2 = "application/vnd.docker.distribution.manifest.v2+json";

/** GET or HEAD with an Accept header of the test's choosing (or none). */
const getAccepting = (path: string, accept: string | undefined, method: "GET" | "HEAD" = "GET") =>
  new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(`${rig?.http.url}${path}`, { method, headers: accept === undefined ? {} : { accept }, timeout: 2_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });

/** Whether a TCP connect to the port is refused (as containerd sees a registry that is down). */
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });

describe("registry HTTP stand-in", () => {
  it("answers GET /v2/ with 200 {} and the distribution API version header", async () => {
    rig = await startRegistryRig();
    const answer = await get("/v2/");
    expect(answer).toMatchObject({ kind: "response", status: 200, body: "{}" });
    expect(answer.kind === "response" && answer.headers["docker-distribution-api-version"]).toBe("registry/2.0");
  });

  it("lists the repositories in /v2/_catalog", async () => {
    rig = await startRegistryRig({ repositories: { "songnodes/rest-api": ["latest"], "songnodes/graph-visualization": ["v3"] } });
    const answer = await get("/v2/_catalog");
    expect(answer.kind === "response" && JSON.parse(answer.body)).toEqual({
      repositories: ["songnodes/graph-visualization", "songnodes/rest-api"],
    });
  });

  it("serves a manifest for a known tag, by tag and by digest, with HEAD and GET", async () => {
    rig = await startRegistryRig();
    const head = await getAccepting("/v2/songnodes/rest-api/manifests/1.4.2", SCHEMA2, "HEAD");
    expect(head).toMatchObject({ status: 200, body: "", headers: { "content-type": SCHEMA2 } });
    const digest = String(head.headers["docker-content-digest"]);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const byDigest = await get(`/v2/songnodes/rest-api/manifests/${digest}`);
    expect(byDigest.kind === "response" && JSON.parse(byDigest.body).schemaVersion).toBe(2);
  });

  it("converts a tag asked for without the schema-2 Accept to a signed schema-1 manifest, whose digest it does not store", async () => {
    rig = await startRegistryRig();
    for (const accept of [undefined, "application/vnd.docker.distribution.manifest.v1+prettyjws", "*/*"]) {
      const answer = await getAccepting("/v2/songnodes/rest-api/manifests/1.4.2", accept);
      expect(answer.headers["content-type"]).toBe("application/vnd.docker.distribution.manifest.v1+prettyjws");
      expect(JSON.parse(answer.body)).toMatchObject({ schemaVersion: 1, name: "songnodes/rest-api", tag: "1.4.2", signatures: [{ header: { alg: "ES256" } }] });
    }
    expect((await getAccepting("/v2/songnodes/rest-api/manifests/1.4.2", `text/html, ${SCHEMA2}; q=0.5`)).headers["content-type"]).toBe(SCHEMA2);
    const schema1 = await getAccepting("/v2/songnodes/rest-api/manifests/1.4.2", undefined, "HEAD");
    const missing = await get(`/v2/songnodes/rest-api/manifests/${String(schema1.headers["docker-content-digest"])}`);
    expect(missing).toMatchObject({ kind: "response", status: 404 });
  });

  it("answers MANIFEST_UNKNOWN for a missing tag or repository, and NAME_UNKNOWN for a missing repository's tags", async () => {
    rig = await startRegistryRig();
    const tag = await get("/v2/songnodes/rest-api/manifests/9.9.9");
    expect(tag).toMatchObject({ kind: "response", status: 404 });
    expect(tag.kind === "response" && JSON.parse(tag.body).errors[0]).toEqual({ code: "MANIFEST_UNKNOWN", message: "manifest unknown", detail: { Tag: "9.9.9" } });
    const manifest = await get("/v2/songnodes/nope/manifests/latest");
    expect(manifest.kind === "response" && JSON.parse(manifest.body).errors[0].code).toBe("MANIFEST_UNKNOWN");
    const name = await get("/v2/songnodes/nope/tags/list");
    expect(name.kind === "response" && JSON.parse(name.body).errors[0].code).toBe("NAME_UNKNOWN");
  });

  it("refuses connections while the registry's API is down and comes back on the same port", async () => {
    rig = await startRegistryRig();
    const port = rig.http.port;
    rig.registry.set({ container: "exited", apiUp: false });
    await rig.http.sync();
    expect(await refused(port)).toBe(true);
    rig.registry.set({ container: "running", apiUp: true });
    await rig.http.sync();
    expect(rig.http.port).toBe(port);
    expect(await get("/v2/")).toMatchObject({ kind: "response", status: 200 });
  });

  it("notices the model's change by itself, without sync()", async () => {
    rig = await startRegistryRig();
    rig.registry.set({ apiUp: false });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await refused(rig.http.port)).toBe(true);
  });

  it("starts refusing when the registry starts out down", async () => {
    rig = await startRegistryRig({ container: "exited", apiUp: false });
    expect(rig.http.port).toBeGreaterThan(0);
    expect(await refused(rig.http.port)).toBe(true);
  });
});
