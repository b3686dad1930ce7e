// The real registry's answers once an image is pushed (`docker tag` + `docker push` of a locally
// imported image), the pull-cause classifier held against its exact error bodies and against what
// the real containerd and dockerd say when a pull fails, and the registry stand-in
// (src/sim/registry) held against the same requests.
import { execFile } from "node:child_process";
import { createHash, createPublicKey, verify } from "node:crypto";
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRestartRegistry } from "../../src/actions/restart-registry.js";
import { pullCause } from "../../src/kube/pull-cause.js";
import { createDockerClient } from "../../src/registry/docker-client.js";
import { httpRequest } from "../../src/registry/http-request.js";
import { libtrustKeyId } from "../../src/sim/registry/schema1.js";
import { startRegistryRig, type RegistryRig } from "../sim/docker/registry-rig.js";
import { describeWithPeers, REAL_PEER_BINARIES } from "./lib/peers-present.js";
import { startRealRegistryRig, type RealRegistryRig } from "./lib/real-registry-rig.js";
import { FAILING_STORAGE } from "./lib/real-registry-rig.js";
import { freePort, importTinyImage } from "./lib/registry-image.js";

const REPOSITORY = "songnodes/rest-api";
const TAG = "1.4.2";
const ZERO_DIGEST = `sha256:${"0".repeat(64)}`;
let rig: RealRegistryRig;
let standIn: RegistryRig | null = null;

/** One request; the answer reduced to what a client reads. */
async function ask(endpoint: string, path: string, method: "GET" | "HEAD" | "POST" = "GET") {
  const answer = await httpRequest({ url: `${endpoint}${path}`, method, timeoutMs: 5_000 });
  if (answer.kind !== "response") throw new Error(`${method} ${path}: ${answer.message}`);
  return { status: answer.status, contentType: answer.headers["content-type"], body: answer.body, headers: answer.headers };
}

/** A request with an Accept header of the test's choosing, or none. */
function askAccepting(url: string, accept: string | undefined, method: "GET" | "HEAD" = "GET") {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(url, { method, headers: accept === undefined ? {} : { accept }, timeout: 5_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}: no answer within 5 s`)));
    req.on("error", reject);
    req.end();
  });
}

const sha256 = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

/**
 * What distribution makes of a schema-2 tag asked for without the schema-2 Accept, reduced to what
 * does not change per image or per signature: headers, keys, the prettyjws layout, the key ID
 * derived from the key, the digest of the payload, the signature checked, and what the registry
 * answers for that digest and for the schema-2 digest.
 */
async function schema1Shape(endpoint: string) {
  const url = `${endpoint}/v2/${REPOSITORY}/manifests/${TAG}`;
  const answer = await askAccepting(url, undefined);
  const head = await askAccepting(url, undefined, "HEAD");
  const digest = String(answer.headers["docker-content-digest"]);
  const manifest = JSON.parse(answer.body) as Record<string, unknown> & {
    history: Array<{ v1Compatibility: string }>;
    signatures: Array<{ header: { jwk: JsonWebKey & { kid: string }; alg: string }; signature: string; protected: string }>;
  };
  const [signature] = manifest.signatures;
  const header = JSON.parse(Buffer.from(signature?.protected ?? "", "base64url").toString()) as { formatLength: number; formatTail: string; time: string };
  const payload = answer.body.slice(0, header.formatLength) + Buffer.from(header.formatTail, "base64url").toString();
  const key = createPublicKey({ key: signature?.header.jwk as JsonWebKey, format: "jwk" });
  const v1 = JSON.parse(manifest.history[0]?.v1Compatibility ?? "{}") as Record<string, unknown>;
  const schema2 = await askAccepting(url, "application/vnd.docker.distribution.manifest.v2+json", "HEAD");
  const bySchema2Digest = await askAccepting(`${endpoint}/v2/${REPOSITORY}/manifests/${String(schema2.headers["docker-content-digest"])}`, undefined);
  const bySchema1Digest = await askAccepting(`${endpoint}/v2/${REPOSITORY}/manifests/${digest}`, undefined);
  return {
    status: answer.status,
    contentType: answer.headers["content-type"],
    etag: answer.headers.etag === `"${digest}"`,
    contentLength: Number(answer.headers["content-length"]) === Buffer.byteLength(answer.body),
    head: { status: head.status, contentType: head.headers["content-type"], sameLength: head.headers["content-length"] === answer.headers["content-length"], body: head.body },
    keys: Object.keys(manifest),
    fields: { schemaVersion: manifest.schemaVersion, name: manifest.name, tag: manifest.tag, architecture: manifest.architecture },
    layers: (manifest.fsLayers as unknown[]).length,
    v1Keys: Object.keys(v1),
    v1KeysSorted: Object.keys(v1).join() === Object.keys(v1).sort().join(),
    v1Id: /^[0-9a-f]{64}$/.test(String(v1.id)),
    signatures: manifest.signatures.length,
    signatureKeys: Object.keys(signature ?? {}),
    headerKeys: Object.keys(signature?.header ?? {}),
    jwkKeys: Object.keys(signature?.header.jwk ?? {}),
    jwk: { crv: signature?.header.jwk.crv, kty: signature?.header.jwk.kty, alg: signature?.header.alg },
    kidIsTheKeys: signature?.header.jwk.kid === libtrustKeyId(key.export({ type: "spki", format: "der" })),
    protectedKeys: Object.keys(header),
    formatTail: header.formatTail,
    time: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(header.time),
    layout: answer.body.slice(header.formatLength).startsWith(',\n   "signatures": [\n      {\n         "header": {') && answer.body.endsWith("\n   ]\n}"),
    payloadIndented: payload === JSON.stringify(JSON.parse(payload), null, 3),
    digestIsPayloads: digest === sha256(payload),
    signatureVerifies: verify(
      "sha256", Buffer.from(`${signature?.protected}.${Buffer.from(payload).toString("base64url")}`),
      { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature?.signature ?? "", "base64url"),
    ),
    bySchema2Digest: { status: bySchema2Digest.status, contentType: bySchema2Digest.headers["content-type"], indented: bySchema2Digest.body === JSON.stringify(JSON.parse(bySchema2Digest.body), null, 3) },
    bySchema1Digest: { status: bySchema1Digest.status, body: bySchema1Digest.body.replace(digest, "<digest>") },
  };
}

/** HEAD a manifest with the Accept header containerd sends; the status and headers. */
function headManifest(url: string): Promise<{ status: number } & Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const accept = "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json";
    const req = http.request(url, { method: "HEAD", headers: { accept }, timeout: 5_000 }, (res) => {
      res.resume();
      resolve({ ...res.headers, status: res.statusCode ?? 0 });
    });
    req.on("timeout", () => req.destroy(new Error(`HEAD ${url}: no answer within 5 s`)));
    req.on("error", reject);
    req.end();
  });
}

/** `ctr image pull` through dockerd's own containerd: the resolver's message kubelet passes on. */
function ctrPull(reference: string): Promise<string> {
  const address = join(rig.dockerd.dir, "exec", "containerd", "containerd.sock");
  return new Promise((resolve) => {
    execFile(REAL_PEER_BINARIES.ctr.path, ["--address", address, "--namespace", "songnodes-test", "image", "pull", "--plain-http", reference], { timeout: 30_000 }, (error, stdout, stderr) =>
      resolve(error ? stderr.split("\n").filter((line) => line.startsWith("ctr: ")).join("\n") : "pulled"),
    );
  });
}

describeWithPeers("the real registry's answers, the pull-cause classifier and the registry stand-in", ["dockerd", "docker", "registry", "ctr"], () => {
  beforeAll(async () => {
    rig = await startRealRegistryRig("registry-api");
    await rig.runRegistry();
    await rig.waitForApi();
    await importTinyImage(rig.dockerd, `${REPOSITORY}:${TAG}`);
    const target = `127.0.0.1:${rig.port}/${REPOSITORY}:${TAG}`;
    await rig.dockerd.dockerOk(["tag", `${REPOSITORY}:${TAG}`, target]);
    await rig.dockerd.dockerOk(["push", target]);
  }, 90_000);
  afterEach(async () => {
    await standIn?.close();
    standIn = null;
  });
  afterAll(async () => rig?.stop(), 60_000);

  it("lists the pushed repository in /v2/_catalog and its tag in tags/list", async () => {
    expect(await ask(rig.endpoint, "/v2/_catalog")).toMatchObject({ status: 200, body: `{"repositories":["${REPOSITORY}"]}\n` });
    expect(await ask(rig.endpoint, `/v2/${REPOSITORY}/tags/list`)).toMatchObject({ status: 200, body: `{"name":"${REPOSITORY}","tags":["${TAG}"]}\n` });
  });

  it("answers a tag that does not exist with MANIFEST_UNKNOWN naming the tag, and the classifier calls it a missing image", async () => {
    const answer = await ask(rig.endpoint, `/v2/${REPOSITORY}/manifests/9.9.9`);
    expect(answer).toMatchObject({ status: 404, contentType: "application/json; charset=utf-8" });
    expect(answer.body).toBe('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"9.9.9"}}]}\n');
    expect(pullCause(answer.body)).toBe("image-missing");
  });

  it("answers a repository that does not exist with MANIFEST_UNKNOWN for a manifest and NAME_UNKNOWN for its tags", async () => {
    const manifest = await ask(rig.endpoint, "/v2/songnodes/nope/manifests/latest");
    expect(manifest).toMatchObject({ status: 404, body: '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"latest"}}]}\n' });
    const tags = await ask(rig.endpoint, "/v2/songnodes/nope/tags/list");
    expect(tags).toMatchObject({
      status: 404,
      body: '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry","detail":{"name":"songnodes/nope"}}]}\n',
    });
    expect(pullCause(manifest.body)).toBe("image-missing");
    expect(pullCause(tags.body)).toBe("image-missing");
  });

  it("classifies what containerd and dockerd say about a missing tag as a missing image, and a stopped registry as registry-down", async () => {
    const base = `127.0.0.1:${rig.port}/${REPOSITORY}`;
    expect(await ctrPull(`${base}:${TAG}`)).toBe("pulled");
    const ctrMissing = await ctrPull(`${base}:9.9.9`);
    expect(ctrMissing).toBe(`ctr: failed to resolve reference "${base}:9.9.9": ${base}:9.9.9: not found`);
    expect(pullCause(ctrMissing)).toBe("image-missing");
    const dockerMissing = await rig.dockerd.docker(["pull", `${base}:9.9.9`]);
    expect(dockerMissing.stderr.trim()).toBe(`Error response from daemon: manifest for ${base}:9.9.9 not found: manifest unknown: manifest unknown`);
    expect(pullCause(dockerMissing.stderr)).toBe("image-missing");
    await rig.dockerd.dockerOk(["stop", "registry"]);
    try {
      const ctrDown = await ctrPull(`${base}:${TAG}-other`);
      expect(ctrDown).toBe(
        `ctr: failed to resolve reference "${base}:${TAG}-other": failed to do request: Head "http://${base.replace(REPOSITORY, `v2/${REPOSITORY}`)}/manifests/${TAG}-other": dial tcp 127.0.0.1:${rig.port}: connect: connection refused`,
      );
      expect(pullCause(ctrDown)).toBe("registry-down");
    } finally {
      await rig.dockerd.dockerOk(["start", "registry"]);
      await rig.waitForApi();
    }
  });

  it("classifies what containerd says about a registry answering 503 as registry-down", async () => {
    const port = await freePort();
    await rig.runRegistry({ name: "sick-registry", env: { REGISTRY_HTTP_ADDR: `127.0.0.1:${port}`, ...FAILING_STORAGE } });
    try {
      const deadline = Date.now() + 10_000;
      while ((await ask(`http://127.0.0.1:${port}`, "/v2/").catch(() => ({ status: 0 }))).status !== 503) {
        if (Date.now() > deadline) throw new Error("the sick registry never answered 503");
        await sleep(100);
      }
      const base = `127.0.0.1:${port}/${REPOSITORY}`;
      const message = await ctrPull(`${base}:${TAG}`);
      expect(message).toBe(`ctr: failed to resolve reference "${base}:${TAG}": pulling from host 127.0.0.1:${port} failed with status code [manifests ${TAG}]: 503 Service Unavailable`);
      expect(pullCause(message)).toBe("registry-down");
    } finally {
      await rig.dockerd.dockerOk(["rm", "-f", "sick-registry"]);
    }
  });

  it("restart-registry after `docker stop` counts the pushed repository in the catalog", async () => {
    await rig.dockerd.dockerOk(["stop", "registry"]);
    const outcome = await createRestartRegistry({
      docker: createDockerClient({ socketPath: rig.dockerd.socket }), container: "registry", endpoint: rig.endpoint, pollIntervalMs: 100, stopTimeoutS: 2,
    }).run({ kind: "restart-registry", why: "test" }, AbortSignal.timeout(20_000));
    expect(outcome.ok).toBe(true);
    expect(outcome.detail).toMatch(/GET \/v2\/_catalog answered 200 with 1 repository after \d+\.\d s$/);
  });

  it("the registry stand-in answers every request as the real registry does", async () => {
    standIn = await startRegistryRig({ repositories: { [REPOSITORY]: [TAG] } });
    const requests: Array<[string, "GET" | "HEAD" | "POST"]> = [
      ["/v2/", "GET"], ["/v2/", "POST"], ["/v2", "GET"], ["/v2/_catalog", "GET"], [`/v2/${REPOSITORY}/tags/list`, "GET"],
      [`/v2/${REPOSITORY}/manifests/9.9.9`, "GET"], [`/v2/${REPOSITORY}/manifests/9.9.9`, "HEAD"],
      [`/v2/${REPOSITORY}/manifests/${ZERO_DIGEST}`, "GET"], ["/v2/songnodes/nope/manifests/latest", "GET"],
      [`/v2/songnodes/nope/manifests/${ZERO_DIGEST}`, "GET"], ["/v2/songnodes/nope/tags/list", "GET"], ["/v2/nothing", "GET"],
    ];
    for (const [path, method] of requests) {
      const real = await ask(rig.endpoint, path, method);
      const stand = await ask(standIn.http.url, path, method);
      const seen = (answer: typeof real) => ({
        request: `${method} ${path}`, status: answer.status, contentType: answer.contentType, body: answer.body,
        location: answer.headers.location, api: answer.headers["docker-distribution-api-version"],
      });
      expect(seen(stand)).toEqual(seen(real));
    }
    // A known manifest, asked for as containerd asks (schema 2 accepted): the same headers, each
    // with its own digest. (Without that Accept both convert to schema 1: the next test.)
    const shape = async (endpoint: string) => {
      const headers = await headManifest(`${endpoint}/v2/${REPOSITORY}/manifests/${TAG}`);
      return {
        status: headers.status, contentType: headers["content-type"], etag: headers.etag === `"${headers["docker-content-digest"]}"`,
        digest: /^sha256:[0-9a-f]{64}$/.test(String(headers["docker-content-digest"])),
      };
    };
    expect(await shape(standIn.http.url)).toEqual(await shape(rig.endpoint));
    expect((await shape(rig.endpoint)).contentType).toBe("application/vnd.docker.distribution.manifest.v2+json");
  });

  it("the registry stand-in converts a tag asked for without the schema-2 Accept to a signed schema-1 manifest, as the real one does", async () => {
    standIn = await startRegistryRig({ repositories: { [REPOSITORY]: [TAG] } });
    const real = await schema1Shape(rig.endpoint);
    expect(await schema1Shape(standIn.http.url)).toEqual(real);
    expect(real).toMatchObject({ contentType: "application/vnd.docker.distribution.manifest.v1+prettyjws", signatureVerifies: true, digestIsPayloads: true });
  });
});
