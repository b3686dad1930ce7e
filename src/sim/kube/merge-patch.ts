// PATCH with a JSON merge patch (RFC 7386, Content-Type application/merge-patch+json): what
// `kubectl annotate` sends for a custom resource and what `flux reconcile` sends to set its
// requestedAt annotation. Other patch types are refused with 415, as for a CRD.
import type { IncomingMessage } from "node:http";
import { ApiError, failureStatus } from "./status-object.js";
import type { KubeObject } from "./store-types.js";

/** RFC 7386: objects merge key by key, null removes a key, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target !== null && typeof target === "object" && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** The patched object; throws ApiError for another patch type, bad JSON, or a change of identity. */
export function applyPatchRequest(req: IncomingMessage, body: Buffer, found: KubeObject): KubeObject {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
  if (type !== "application/merge-patch+json") {
    throw new ApiError(failureStatus(415, `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json (got ${type || "none"})`));
  }
  let patch: unknown;
  try {
    patch = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new ApiError(failureStatus(400, `error decoding patch: ${(error as Error).message}`));
  }
  const patched = mergePatch(found, patch) as KubeObject;
  if (patched?.metadata?.name !== found.metadata.name || patched.metadata.namespace !== found.metadata.namespace) {
    throw new ApiError(failureStatus(422, "the patch may not change metadata.name or metadata.namespace"));
  }
  // The server owns these; a client's stale value is ignored.
  return { ...patched, metadata: { ...patched.metadata, uid: found.metadata.uid, resourceVersion: found.metadata.resourceVersion, creationTimestamp: found.metadata.creationTimestamp } };
}
