// What the runbook's Resilience Checklist and its tables ask of each SongNodes workload, as data:
// the PDBs (§4), the init containers that wait for PostgreSQL and Redis (§7), the stateful services
// that keep their data on PVCs (§2). A workload not named here gets only the rules for every workload.

/** The runbook's expectations, by workload name. */
export interface Checklist {
  /** Workloads with a PodDisruptionBudget, and its minAvailable. */
  pdbs: Record<string, number>;
  /** Workloads whose init containers wait for these services. */
  initWaits: Record<string, string[]>;
  /** Workloads whose data lives on a PVC. */
  stateful: string[];
}

/** The runbook's lists for SongNodes. */
export const SONGNODES_CHECKLIST: Checklist = {
  pdbs: { postgres: 1, rabbitmq: 1, redis: 1, "rest-api": 1, "graph-visualization": 1, "metadata-enrichment": 1 },
  initWaits: { "rest-api": ["postgres"], "metadata-enrichment": ["postgres", "redis"], "unified-scraper": ["postgres"] },
  stateful: ["postgres", "rabbitmq", "redis", "postgres-backup"],
};

/** The rules, in the order the audit prints them. */
export const RULES = ["resources", "probes", "init-wait", "restart-policy", "pvc", "replicas", "autoscaling", "pull-policy", "pdb"] as const;
export type RuleName = (typeof RULES)[number];
