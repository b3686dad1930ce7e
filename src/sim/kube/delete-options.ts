// DeleteOptions from the query (`?gracePeriodSeconds=0`) or the body (kubectl sends a DeleteOptions
// body), and the preconditions a client sets so it never deletes a pod recreated under the same name.
import { ApiError, failureStatus } from "./status-object.js";
import type { DeleteRequest, KubeObject } from "./store-types.js";

/** A DELETE's options, parsed. */
export interface DeleteOptions {
  request: DeleteRequest;
  preconditions: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

const POLICIES = ["Orphan", "Background", "Foreground"] as const;

const invalid = (message: string) =>
  new ApiError(failureStatus(422, `DeleteOptions.meta.k8s.io "" is invalid: ${message}`, { kind: "DeleteOptions", group: "meta.k8s.io" }));

/** Parse query and body; throws ApiError (400 for malformed JSON, 422 for invalid values). */
export function parseDeleteOptions(query: URLSearchParams, body: Buffer): DeleteOptions {
  let fromBody: Record<string, unknown> = {};
  if (body.length > 0) {
    try {
      const parsed: unknown = JSON.parse(body.toString("utf8"));
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      fromBody = parsed as Record<string, unknown>;
    } catch {
      throw new ApiError(failureStatus(400, "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml"));
    }
  }
  const graceRaw = query.get("gracePeriodSeconds") ?? fromBody.gracePeriodSeconds;
  const policyRaw = query.get("propagationPolicy") ?? fromBody.propagationPolicy;
  const request: DeleteRequest = {};
  if (graceRaw !== undefined && graceRaw !== null) {
    const grace = Number(graceRaw);
    if (!Number.isInteger(grace)) throw invalid(`gracePeriodSeconds: Invalid value: ${JSON.stringify(graceRaw)}: must be an integer`);
    // A negative grace period means "use the smallest", as the real server maps it to 1.
    request.gracePeriodSeconds = grace < 0 ? 1 : grace;
  }
  if (policyRaw !== undefined && policyRaw !== null) {
    if (!POLICIES.includes(policyRaw as (typeof POLICIES)[number])) {
      throw invalid(`propagationPolicy: Unsupported value: ${JSON.stringify(policyRaw)}: supported values: "Foreground", "Background", "Orphan"`);
    }
    request.propagationPolicy = policyRaw as DeleteRequest["propagationPolicy"];
  }
  const pre = (fromBody.preconditions ?? {}) as { uid?: unknown; resourceVersion?: unknown };
  const preconditions: DeleteOptions["preconditions"] = {};
  if (typeof pre.uid === "string") preconditions.uid = pre.uid;
  if (typeof pre.resourceVersion === "string") preconditions.resourceVersion = pre.resourceVersion;
  const dryRun = query.getAll("dryRun").includes("All") || (Array.isArray(fromBody.dryRun) && fromBody.dryRun.includes("All"));
  return { request, preconditions, dryRun };
}

/** 409 Conflict when a precondition does not hold, worded as the real server words it. */
export function checkPreconditions(object: KubeObject, preconditions: DeleteOptions["preconditions"]): void {
  const { uid, resourceVersion } = preconditions;
  if (uid !== undefined && uid !== object.metadata.uid) {
    throw new ApiError(failureStatus(409, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${object.metadata.uid ?? ""}`, { name: object.metadata.name }));
  }
  if (resourceVersion !== undefined && resourceVersion !== object.metadata.resourceVersion) {
    throw new ApiError(failureStatus(409, `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${object.metadata.resourceVersion ?? ""}`, { name: object.metadata.name }));
  }
}
