// What the registry stand-in serves for `/v2/<name>/manifests/<reference>`: a small, stable
// image manifest per name:tag, and the distribution spec's error bodies for the two misses that
// containerd reports as "not found" (the image is missing, not the registry down).
import { createHash } from "node:crypto";

export const MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json";

export const sha256 = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

/** When the stand-in's images were built: one fixed time, so their configs and digests never change. */
const CREATED = "2025-11-03T09:12:44.180418317Z";
const NO_CONTAINER_CONFIG = {
  Hostname: "", Domainname: "", User: "", AttachStdin: false, AttachStdout: false, AttachStderr: false, Tty: false, OpenStdin: false,
  StdinOnce: false, Env: null, Cmd: null, Image: "", Volumes: null, WorkingDir: "", Entrypoint: null, OnBuild: null, Labels: null,
};

/** The digest of the one layer of name:tag. */
export const layerDigest = (name: string, tag: string) => sha256(`layer ${name}:${tag}`);

/**
 * The image config blob of name:tag, compact as dockerd writes it, with the keys of an image made by
 * `docker import` on Debian's docker.io 20.10 (the real-peer tests push one).
 */
export function imageConfigFor(name: string, tag: string): string {
  return JSON.stringify({
    architecture: "amd64",
    comment: "Imported from -",
    config: NO_CONTAINER_CONFIG,
    container_config: NO_CONTAINER_CONFIG,
    created: CREATED,
    docker_version: "20.10.24+dfsg1",
    history: [{ created: CREATED, comment: "Imported from -" }],
    os: "linux",
    rootfs: { type: "layers", diff_ids: [sha256(`diff ${name}:${tag}`)] },
  });
}

/**
 * The schema-2 manifest of name:tag as `docker push` stores it and the registry serves it: indented
 * with three spaces (Go's MarshalIndent in dockerd). Digests derive from name and tag, so they never change.
 */
export function manifestFor(name: string, tag: string): { body: string; digest: string } {
  const config = imageConfigFor(name, tag);
  const body = JSON.stringify(
    {
      schemaVersion: 2,
      mediaType: MANIFEST_MEDIA_TYPE,
      config: { mediaType: "application/vnd.docker.container.image.v1+json", size: Buffer.byteLength(config), digest: sha256(config) },
      layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 3_370_706, digest: layerDigest(name, tag) }],
    },
    null,
    3,
  );
  return { body, digest: sha256(body) };
}

/** The tag of `name` whose manifest has `digest`, or null. */
export function tagForDigest(name: string, tags: string[], digest: string): string | null {
  return tags.find((tag) => manifestFor(name, tag).digest === digest) ?? null;
}

/**
 * `{"errors":[…]}` as distribution 2.8 answers a miss, newline included (Go's JSON encoder). A
 * manifest miss is MANIFEST_UNKNOWN whether the tag or the whole repository is missing; its detail
 * names the tag, or the repository and digest for a digest. NAME_UNKNOWN comes only from tags/list.
 */
export function registryError(code: "NAME_UNKNOWN" | "MANIFEST_UNKNOWN", name: string, reference: string): string {
  const error =
    code === "NAME_UNKNOWN"
      ? { code, message: "repository name not known to registry", detail: { name } }
      : reference.startsWith("sha256:")
        ? { code, message: "manifest unknown", detail: { Name: name, Revision: reference } }
        : { code, message: "manifest unknown", detail: { Tag: reference } };
  return `${JSON.stringify({ errors: [error] })}\n`;
}

/** distribution's answer to a method it does not serve there (DELETE with deletion off, PUT, …). */
export function registryErrorUnsupported(): string {
  return `${JSON.stringify({ errors: [{ code: "UNSUPPORTED", message: "The operation is unsupported." }] })}\n`;
}
