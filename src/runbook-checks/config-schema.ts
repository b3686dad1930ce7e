// The config sections of the runbook checks: `checks` (when they run, the daemon's own unit),
// `flux` (GitOps sync: always reported, reconcile requested only when turned on) and `integrity`
// (the row count compared across boots, opt-in). Validated like every other key.
import { z } from "zod";
import { positiveDuration } from "../config/positive-duration.js";

const duration = positiveDuration;

const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "not a Kubernetes object name");

/** `checks`: the runbook checks run when the node becomes healthy and then every `every`. */
export const checksSchema = z
  .strictObject({
    every: duration("15m"),
    /** Each check's own timeout. */
    timeout: duration("30s"),
    /** The resilience-checklist audit runs this often, and after every rollout. */
    auditEvery: duration("7d"),
    /** The watchdog's own unit, checked for being enabled at boot like k3s's. */
    daemonUnit: z.string().endsWith(".service").default("songnodes-watchdog.service"),
  })
  .prefault({});

/** `flux`: the HelmRelease and its GitRepository (runbook "Check GitOps Sync"). */
export const fluxSchema = z
  .strictObject({
    namespace: name.default("flux-system"),
    source: name.default("songnodes"),
    release: name.default("songnodes"),
    /** Request a reconcile (the annotation `flux reconcile` sets): off by default. */
    reconcile: z.boolean().default(false),
    /** A release not Ready this long is reported, and reconciled when `reconcile` is on. */
    holdOff: duration("10m"),
    /** At most `max` reconcile requests within `window`. */
    budget: z.strictObject({ max: z.number().int().min(0).default(3), window: duration("1h") }).prefault({}),
  })
  .prefault({});

/** `integrity`: the runbook's row count after each boot, through Exec in the database pod. */
export const integritySchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    pod: name.default("postgres-0"),
    container: name.default("postgres"),
    user: z.string().min(1).default("musicdb_user"),
    database: z.string().min(1).default("musicdb"),
    query: z.string().min(1).default("SELECT COUNT(*) FROM tracks;"),
    /** A drop of more than this fraction of the rows since before the boot is crit. */
    tolerance: z.number().min(0).max(1).default(0.01),
  })
  .prefault({});
