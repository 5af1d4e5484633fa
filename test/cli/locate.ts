import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import type { Engine } from "../engine/engine";
import { describeUnless } from "../helpers";
import { builtCli, cliCacheDir } from "../pulumi-cli/build";

/** What a suite needs of an engine: our driver and the real CLI both have it. */
export type ProgramEngine = Pick<Engine, "state" | "logs" | "preview" | "up" | "refresh" | "destroy" | "setConfig" | "checkpoint">;

/**
 * The folder of the Pulumi CLI the suites use: PULUMI_ODOO_CLI_DIR, else the one `npm run pulumi-cli`
 * built for our @pulumi/pulumi, else a `pulumi` on PATH with its Node.js language host beside it.
 * PULUMI_ODOO_CLI_DIR=none: no CLI (what runs a program then is our engine-level driver).
 */
export function locateCli(): string | undefined {
  const named = process.env.PULUMI_ODOO_CLI_DIR;
  if (named === "none") return undefined;
  if (named) return named;
  if (builtCli()) return cliCacheDir();
  try {
    const found = execFileSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" }).trim();
    const dir = path.dirname(found);
    if (found && existsSync(path.join(dir, "pulumi-language-nodejs"))) return dir;
  } catch {
    // none on PATH
  }
  return undefined;
}

const NO_CLI = "no Pulumi CLI (npm run pulumi-cli builds one)";

/** A suite that runs programs through the real CLI: skipped without one (and says so), a failure in CI, where one must be. */
export function describeWithCli(name: string, suite: (cliDir: string) => void): void {
  const cliDir = locateCli();
  if (cliDir) return void describe(name, () => suite(cliDir));
  if (process.env.CI === "true") return void describe(name, () => test("a Pulumi CLI is at hand", () => assert.fail(`CI=true, but ${NO_CLI}`)));
  console.log(`# ${name}: skipped: ${NO_CLI}`);
  describeUnless(`skipped: ${NO_CLI}`, name, () => {});
}
