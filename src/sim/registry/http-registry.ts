// The registry's HTTP face (`registry:2` on localhost:5000) for the simulated node. While the model
// says its API is down, the port refuses connections, as containerd sees it ("dial tcp
// 127.0.0.1:5000: connect: connection refused"): the listener is closed and reopened on the same port.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RegistryDriver } from "./registry-driver.js";
import { MANIFEST_MEDIA_TYPE, manifestFor, registryError, registryErrorUnsupported, tagForDigest } from "./manifests.js";
import { acceptsSchema2, generateSigningKey, SCHEMA1_MEDIA_TYPE, schema1ManifestFor, type SigningKey } from "./schema1.js";

export interface RegistryStandInOptions {
  host: string;
  /** 0 picks a free port once; it is kept across down/up. */
  port: number;
  registry: RegistryDriver;
  /** How often the model's apiUp() is looked at; default 20 ms. */
  pollMs?: number;
}

export interface RegistryStandIn {
  readonly port: number;
  /** http://host:port */
  readonly url: string;
  /** Open or close the listener now to match apiUp(). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** Start the registry stand-in; resolves once its port is known. */
export async function startRegistryStandIn(options: RegistryStandInOptions): Promise<RegistryStandIn> {
  const { host, registry } = options;
  let port = options.port;
  let server: http.Server | null = null;
  let closed = false;
  let queue: Promise<void> = Promise.resolve();
  // Like the real registry without a configured key: one made at start, for schema-1 signatures.
  const key = generateSigningKey();

  const open = async () => {
    const candidate = http.createServer((request, response) => serve(registry, key, request, response));
    // Between apiUp() turning false and the next poll, drop whoever gets in.
    candidate.on("connection", (socket) => {
      if (!registry.apiUp()) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      candidate.once("error", reject);
      candidate.listen(port, host, () => resolve());
    });
    port = (candidate.address() as AddressInfo).port;
    server = candidate;
  };
  const shut = async () => {
    const current = server;
    server = null;
    if (!current) return;
    current.closeAllConnections();
    await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  const sync = (): Promise<void> => {
    queue = queue.then(async () => {
      if (closed) return;
      const wanted = registry.apiUp();
      // A failed reopen (the port taken meanwhile) is retried on the next poll.
      if (wanted && !server) await open().catch(() => undefined);
      else if (!wanted && server) await shut();
    });
    return queue;
  };

  await open(); // learn the port even when the registry starts out down
  await sync();
  const poll = setInterval(() => void sync(), options.pollMs ?? 20);
  poll.unref();
  return {
    get port() {
      return port;
    },
    get url() {
      return `http://${host}:${port}`;
    },
    sync,
    async close() {
      clearInterval(poll);
      closed = true;
      queue = queue.then(shut);
      await queue;
    },
  };
}

// Status codes, headers and bodies as Debian's docker-registry (distribution 2.8.2) answers them,
// held against the real one by test/real-peers/registry-api.test.ts.
function serve(registry: RegistryDriver, key: SigningKey, request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? "/", "http://registry").pathname;
  const send = (status: number, body: string, headers: Record<string, string> = {}) => {
    response.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "docker-distribution-api-version": "registry/2.0",
      "content-length": String(Buffer.byteLength(body)),
      ...headers,
    });
    response.end(request.method === "HEAD" ? undefined : body);
  };
  // The version check answers every method; `/v2` is redirected to it.
  if (path === "/v2/") return send(200, "{}");
  if (path === "/v2") return send(301, '<a href="/v2/">Moved Permanently</a>.\n\n', { "content-type": "text/html; charset=utf-8", location: "/v2/" });
  const repositories = registry.repositories();
  const route = routeOf(path);
  if (route === null) {
    return send(404, "404 page not found\n", { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
  }
  if (request.method !== "GET" && request.method !== "HEAD") return send(405, registryErrorUnsupported());
  if (route.kind === "catalog") return send(200, `${JSON.stringify({ repositories: [...repositories.keys()].sort() })}\n`);
  const tags = repositories.get(route.name);
  if (route.kind === "tags") {
    return tags ? send(200, `${JSON.stringify({ name: route.name, tags })}\n`) : send(404, registryError("NAME_UNKNOWN", route.name, ""));
  }
  const { name, reference } = route;
  const tag = !tags ? null : reference.startsWith("sha256:") ? tagForDigest(name, tags, reference) : tags.includes(reference) ? reference : null;
  if (tag === null) return send(404, registryError("MANIFEST_UNKNOWN", name, reference));
  // A tag asked for without the schema-2 media type in Accept is converted to schema 1; a digest
  // is served as stored.
  const schema1 = !reference.startsWith("sha256:") && !acceptsSchema2(request.headers.accept);
  const { body, digest } = schema1 ? schema1ManifestFor(name, tag, key) : manifestFor(name, tag);
  send(200, body, { "content-type": schema1 ? SCHEMA1_MEDIA_TYPE : MANIFEST_MEDIA_TYPE, "docker-content-digest": digest, etag: `"${digest}"` });
}

type Route = { kind: "catalog" } | { kind: "tags"; name: string } | { kind: "manifest"; name: string; reference: string };

function routeOf(path: string): Route | null {
  if (path === "/v2/_catalog") return { kind: "catalog" };
  const tags = /^\/v2\/(.+)\/tags\/list$/.exec(path);
  if (tags) return { kind: "tags", name: tags[1] as string };
  const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
  if (manifest) return { kind: "manifest", name: manifest[1] as string, reference: manifest[2] as string };
  return null;
}
