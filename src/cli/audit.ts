// `songnodes-watchdog audit [--json]`: the runbook's Resilience Checklist against the live workloads
// of the namespace. Reads only. Exit 0 every rule ok, 1 some rule warns, 3 could not read (78 config).
import type { Command } from "commander";
import { auditJson, formatAudit } from "../audit/audit-format.js";
import { auditWorkloads } from "../audit/audit-rules.js";
import { SONGNODES_CHECKLIST } from "../audit/checklist.js";
import { loadConfigOrSay } from "./load-config-or-say.js";
import { say } from "./format/wrap-block.js";
import { EXIT_OK, EXIT_UNHEALTHY, EXIT_UNKNOWN } from "./exit-codes.js";

/** Register `audit`. */
export function registerAudit(program: Command): void {
  program
    .command("audit")
    .description("check the namespace's workloads against the runbook's resilience checklist; acts on nothing")
    .option("-c, --config <path>", "config file (default /etc/songnodes-watchdog/config.yaml)")
    .option("--json", "every workload and rule with the full field path to change")
    .action(async (options: { config?: string; json?: boolean }) => {
      const config = loadConfigOrSay(options.config);
      if (config === null) return;
      // Loaded only when `audit` runs: the Kubernetes client takes about a second to load.
      const [{ readAuditObjects }, { createKubeClient }, { createRunbookKube }] = await Promise.all([
        import("../audit/read-workloads.js"),
        import("../kube/client.js"),
        import("../runbook-checks/kube-objects.js"),
      ]);
      const kube = createRunbookKube(createKubeClient({ kubeconfigPath: config.k3s.kubeconfig, requestTimeoutMs: config.timing.probeTimeout }));
      const objects = await readAuditObjects(kube, config.namespace, AbortSignal.timeout(config.timing.probeTimeout * 4));
      if ("error" in objects) {
        say(process.stderr, `audit: ${objects.error}`);
        process.exitCode = EXIT_UNKNOWN;
        return;
      }
      const lines = auditWorkloads(objects, SONGNODES_CHECKLIST);
      process.stdout.write(options.json ? `${JSON.stringify(auditJson(config.namespace, lines), null, 2)}\n` : formatAudit(config.namespace, lines));
      process.exitCode = lines.every((l) => l.ok) ? EXIT_OK : EXIT_UNHEALTHY;
    });
}
