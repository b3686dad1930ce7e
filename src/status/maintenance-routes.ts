// The maintenance endpoints: run one check now and record a drill (control.sock only). The checks'
// last results, last and next runs are in /v1/status's `maintenance`.
import { z } from "zod";
import { readJsonBody } from "./body.js";
import { HttpError, sendJson } from "./responses.js";
import type { Route } from "./routes.js";

const by = z.string().trim().min(1).max(100).default("control socket");
const runBody = z.strictObject({ name: z.string().trim().min(1).max(100), by });
const drillBody = z.strictObject({ note: z.string().trim().min(1, "a note is required").max(500), by });

function parse<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new HttpError(400, `invalid ${what}`, result.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })));
}

/** POST /v1/maintenance/run {name}: runs the check and answers with its result. */
export const maintenanceRun: Route = {
  method: "POST", control: true,
  handle: async ({ request, response, source, now }) => {
    const body = parse(runBody, await readJsonBody(request), "maintenance run request");
    const known = source.snapshot(now).maintenance;
    if (!known || !source.runMaintenance) throw new HttpError(409, "maintenance is off in this daemon's config");
    const check = known.find((c) => c.name === body.name);
    if (!check) throw new HttpError(404, `no maintenance check named ${body.name}`, { checks: known.map((c) => c.name) });
    if (check.running) throw new HttpError(409, `maintenance check ${body.name} is running already`);
    const run = await source.runMaintenance(body.name, body.by);
    if (run === null) throw new HttpError(409, `maintenance check ${body.name} is running already`);
    sendJson(response, 200, { run });
  },
};

/** POST /v1/drill {note}: records a disaster-recovery drill. */
export const drill: Route = {
  method: "POST", control: true,
  handle: async ({ request, response, source }) => {
    const body = parse(drillBody, await readJsonBody(request), "drill");
    if (!source.recordDrill) throw new HttpError(409, "this daemon keeps no drills");
    sendJson(response, 200, { drill: source.recordDrill(body.note, body.by) });
  },
};

/** GET /v1/maintenance/report: the month's usage trends. */
export const usageReport: Route = {
  method: "GET", control: false,
  handle: ({ response, source, now }) => {
    if (!source.usageReport) throw new HttpError(409, "this daemon keeps no usage samples");
    sendJson(response, 200, source.usageReport(now));
  },
};
