// The package's shell scripts, checked without installing anything: each parses as POSIX sh, the
// first config postinst writes is one the daemon accepts and runs in dry-run mode, and the
// launcher carries the V8 flags the benchmark chose. The install itself is in the system tests.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";

const debian = join(process.cwd(), "packaging", "debian");
const read = (name: string) => readFileSync(join(debian, name), "utf8");

describe("the package's maintainer scripts", () => {
  it.each(["postinst", "prerm", "postrm", "songnodes-watchdog"])("%s parses as POSIX sh", (name) => {
    expect(() => execFileSync("sh", ["-n", join(debian, name)], { stdio: "pipe" })).not.toThrow();
  });

  it("postinst's first config is valid for the daemon and turns dry-run on", () => {
    const body = /<<'YAML'\n([\s\S]*?)\nYAML\n/.exec(read("postinst"))?.[1];
    expect(body).toBeDefined();
    const config = parseConfig(parseYaml(body as string), "postinst's first config");
    expect(config.dryRun).toBe(true);
  });

  it("the example config is valid for the daemon", () => {
    const text = readFileSync(join(process.cwd(), "packaging", "config.example.yaml"), "utf8");
    expect(() => parseConfig(parseYaml(text), "config.example.yaml")).not.toThrow();
  });

  it("the launcher runs the bundled Node with the flags in node-flags.json", () => {
    const { flags } = JSON.parse(readFileSync(join(process.cwd(), "packaging", "node-flags.json"), "utf8")) as { flags: string[] };
    expect(flags.length).toBeGreaterThan(0);
    expect(read("songnodes-watchdog")).toMatch(/^exec \/usr\/lib\/songnodes-watchdog\/node\/bin\/node @NODE_FLAGS@ \/usr\/lib\/songnodes-watchdog\/app\/dist\/src\/cli\.js "\$@"$/m);
  });
});
