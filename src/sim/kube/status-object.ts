// meta/v1 Status objects, the body every API error carries; clients (kubectl, client-node) read
// `reason` and `code` from it, so each failure uses the reason a real server gives for that code.

/** A Status object as the API server writes it. */
export interface KubeStatus {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message: string;
  reason: string;
  code: number;
  details?: { name?: string; group?: string; kind?: string; uid?: string };
}

const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  406: "NotAcceptable",
  409: "Conflict",
  410: "Expired",
  413: "RequestEntityTooLarge",
  415: "UnsupportedMediaType",
  422: "Invalid",
  500: "InternalError",
  503: "ServiceUnavailable",
};

/** A failure Status with the reason a real server uses for `code`. */
export function failureStatus(code: number, message: string, details?: KubeStatus["details"]): KubeStatus {
  const status: KubeStatus = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason: REASONS[code] ?? "Unknown",
    code,
  };
  if (details) status.details = details;
  return status;
}

/** An HTTP-level failure the request handlers throw; the server turns it into a Status response. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(readonly status: KubeStatus) {
    super(status.message);
  }
}

/** `pods "x" not found`, as a real server words it. */
export function notFound(resource: string, group: string, name: string): ApiError {
  const qualified = group === "" ? resource : `${resource}.${group}`;
  return new ApiError(failureStatus(404, `${qualified} "${name}" not found`, { name, group: group || undefined, kind: resource }));
}
