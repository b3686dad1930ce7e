// Field and label selectors as the API server parses them (`?fieldSelector=`, `?labelSelector=`).
// Field selectors only work on the fields each resource indexes, exactly as a real server refuses
// others with "field label not supported", so a watchdog query that only works here fails in tests.
import type { KubeObject, ResourceName } from "./store-types.js";

/** A parsed selector: true when the object matches. */
export type ObjectMatcher = (object: KubeObject) => boolean;

/** A selector the server cannot parse; the API answers 400 BadRequest with this message. */
export class SelectorError extends Error {
  override readonly name = "SelectorError";
}

// Every resource supports metadata.name and metadata.namespace; these are the extra indexed fields.
const EXTRA_FIELDS: Partial<Record<ResourceName, readonly string[]>> = {
  pods: ["status.phase", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.podIP", "status.nominatedNodeName"],
  events: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
  nodes: ["spec.unschedulable"],
  namespaces: ["status.phase"],
  jobs: ["status.successful"],
};

/** Read a dotted path as a string, the way field selectors see it ("" when absent). */
function fieldValue(object: KubeObject, path: string): string {
  let value: unknown = object;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return "";
    value = (value as Record<string, unknown>)[part];
  }
  if (path === "source" && value && typeof value === "object") value = (value as { component?: unknown }).component;
  return value === undefined || value === null ? "" : String(value);
}

/** Split on commas that are neither escaped nor inside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      current += c + text[++i];
      continue;
    }
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "," && depth === 0) {
      terms.push(current.trim());
      current = "";
      continue;
    }
    current += c;
  }
  terms.push(current.trim());
  return terms.filter((t) => t !== "");
}

const unescape = (value: string) => value.replace(/\\(.)/g, "$1");

/** Parse `metadata.name=x,status.phase!=Running` for `resource`; throws SelectorError. */
export function parseFieldSelector(text: string, resource: ResourceName): ObjectMatcher {
  const allowed = new Set(["metadata.name", "metadata.namespace", ...(EXTRA_FIELDS[resource] ?? [])]);
  const tests = splitTerms(text).map((term): ObjectMatcher => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, op, raw] = m as unknown as [string, string, string, string];
    if (!allowed.has(field)) throw new SelectorError(`field label not supported: ${field}`);
    const wanted = unescape(raw);
    return op === "!=" ? (o) => fieldValue(o, field) !== wanted : (o) => fieldValue(o, field) === wanted;
  });
  return (object) => tests.every((t) => t(object));
}

const LABEL_KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function checkKey(key: string, text: string): string {
  if (!LABEL_KEY.test(key)) throw new SelectorError(`unable to parse requirement: invalid label key "${key}" in '${text}'`);
  return key;
}

/** Parse `app=x,tier!=db,env in (a,b),release,!legacy`; throws SelectorError. */
export function parseLabelSelector(text: string): ObjectMatcher {
  const tests = splitTerms(text).map((term): ObjectMatcher => {
    const labels = (o: KubeObject) => o.metadata.labels ?? {};
    let m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (m) {
      const key = checkKey(m[1]!, text);
      const values = new Set(m[3]!.split(",").map((v) => v.trim()).filter((v) => v !== ""));
      if (m[2] === "in") return (o) => key in labels(o) && values.has(labels(o)[key]!);
      return (o) => !(key in labels(o)) || !values.has(labels(o)[key]!);
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*([^=!\s]*)$/.exec(term);
    if (m) {
      const key = checkKey(m[1]!, text);
      const value = m[3]!;
      if (m[2] === "!=") return (o) => labels(o)[key] !== value;
      return (o) => labels(o)[key] === value;
    }
    m = /^(!?)\s*([^=!\s()]+)$/.exec(term);
    if (m) {
      const key = checkKey(m[2]!, text);
      return m[1] === "!" ? (o) => !(key in labels(o)) : (o) => key in labels(o);
    }
    throw new SelectorError(`unable to parse requirement: '${term}' in '${text}'`);
  });
  return (object) => tests.every((t) => t(object));
}
