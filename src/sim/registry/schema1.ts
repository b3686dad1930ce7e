// The schema-1 manifest distribution 2.8 makes of a stored schema-2 one when a client asks for a
// tag without accepting schema 2 (an old Docker, curl without an Accept): converted on the fly and
// signed (libtrust's "prettyjws") with a key the registry generates when it starts. Asked for by
// digest, the registry serves what it stores; the schema-1 digest itself is not stored (404).
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { MANIFEST_MEDIA_TYPE, imageConfigFor, layerDigest, sha256 } from "./manifests.js";

export const SCHEMA1_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v1+prettyjws";

/** The registry's signing key and its public half as libtrust writes it into each signature. */
export interface SigningKey {
  privateKey: KeyObject;
  jwk: { crv: "P-256"; kid: string; kty: "EC"; x: string; y: string };
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** RFC 4648 base32 without padding, as Go's base32.StdEncoding with the "=" trimmed. */
function base32(data: Buffer): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const byte of data) bits += byte.toString(2).padStart(8, "0");
  let text = "";
  for (let i = 0; i < bits.length; i += 5) text += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, "0"), 2)];
  return text;
}

/**
 * libtrust's key ID: the first 240 bits of the SHA-256 of the public key (DER, SubjectPublicKeyInfo),
 * base32, in twelve groups of four joined by colons.
 */
export function libtrustKeyId(spkiDer: Buffer): string {
  const text = base32(createHash("sha256").update(spkiDer).digest().subarray(0, 30));
  return (text.match(/.{4}/g) ?? []).join(":");
}

/** A new P-256 key, as the registry makes one at start when its config names none. */
export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const { x, y } = publicKey.export({ format: "jwk" });
  const kid = libtrustKeyId(publicKey.export({ type: "spki", format: "der" }));
  return { privateKey, jwk: { crv: "P-256", kid, kty: "EC", x: String(x), y: String(y) } };
}

/** Whether a request's Accept lets the registry serve schema 2 (distribution matches the exact media type). */
export function acceptsSchema2(accept: string | undefined): boolean {
  return (accept ?? "").split(",").some((entry) => (entry.split(";")[0] ?? "").trim() === MANIFEST_MEDIA_TYPE);
}

/** The signed schema-1 manifest of name:tag and its digest (of the payload without signatures). */
export function schema1ManifestFor(name: string, tag: string, key: SigningKey, now = new Date()): { body: string; digest: string } {
  // The top layer's v1 config: the image config without history and rootfs, with a v1 id derived
  // from the layer and the config, its keys sorted (Go marshals a map).
  const config = imageConfigFor(name, tag);
  const { history: _history, rootfs: _rootfs, ...rest } = JSON.parse(config) as Record<string, unknown>;
  const layer = layerDigest(name, tag);
  const id = createHash("sha256").update(`${layer.slice("sha256:".length)}  ${config}`).digest("hex");
  const v1 = Object.fromEntries(Object.entries({ ...rest, id }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const payload = JSON.stringify(
    { schemaVersion: 1, name, tag, architecture: "amd64", fsLayers: [{ blobSum: layer }], history: [{ v1Compatibility: JSON.stringify(v1) }] },
    null,
    3,
  );
  // The signature covers the payload; the signatures go in before its closing "\n}".
  const formatLength = Buffer.byteLength(payload) - 2;
  const header = { formatLength, formatTail: base64url("\n}"), time: `${now.toISOString().slice(0, 19)}Z` };
  const protectedHeader = base64url(JSON.stringify(header));
  const signature = sign("sha256", Buffer.from(`${protectedHeader}.${base64url(payload)}`), { key: key.privateKey, dsaEncoding: "ieee-p1363" });
  const signatures = [{ header: { jwk: key.jwk, alg: "ES256" }, signature: base64url(signature), protected: protectedHeader }];
  const body = `${payload.slice(0, formatLength)},\n   "signatures": ${JSON.stringify(signatures, null, 3).replace(/\n/g, "\n   ")}\n}`;
  return { body, digest: sha256(payload) };
}
