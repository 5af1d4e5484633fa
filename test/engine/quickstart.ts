import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { OdooClient } from "../../provider/client/odoo-client";
import { OdooEmulator } from "../emulator/server";
import { Engine, type Step } from "./engine";

// The main job (`npm run quickstart`): applies examples/quickstart to the embedded Odoo emulator,
// or to a real Odoo when ODOO_URL and ODOO_API_KEY are set, and shows what Odoo then holds. With a
// `pulumi` CLI on PATH it runs the root Pulumi project (a local file backend); otherwise it runs the
// same program through our engine-level driver. Either way it says which.

const root = path.resolve(__dirname, "../../..");
const programDir = path.join(root, "bin/examples/quickstart");

async function main(): Promise<void> {
  const real = process.env.ODOO_URL && process.env.ODOO_API_KEY;
  const emulator = real ? undefined : new OdooEmulator();
  const url = real ? process.env.ODOO_URL! : await emulator!.start();
  const apiKey = real ? process.env.ODOO_API_KEY! : emulator!.apiKey();
  const database = real ? process.env.ODOO_DATABASE : "odoo";
  console.log(real ? `Target: the Odoo at ${url}${database ? ` (database ${database})` : ""}` : `Target: the embedded Odoo 19 emulator at ${url} (database ${database})`);
  try {
    if (hasPulumiCli()) runWithCli(url, apiKey, database);
    else await runWithDriver(url, apiKey, database);
    await show(url, apiKey, database);
  } finally {
    await emulator?.stop();
  }
}

function hasPulumiCli(): boolean {
  return spawnSync("pulumi", ["version"], { stdio: "ignore" }).status === 0;
}

function runWithCli(url: string, apiKey: string, database?: string): void {
  console.log("Engine: the pulumi CLI found on PATH (local file backend)\n");
  const backend = mkdtempSync(path.join(tmpdir(), "pulumi-odoo-state-"));
  const env = { ...process.env, PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "quickstart" };
  const run = (...args: string[]) => {
    const result = spawnSync("pulumi", args, { cwd: root, env, stdio: "inherit" });
    if (result.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed`);
  };
  run("stack", "init", "quickstart", "--non-interactive");
  run("config", "set", "odoo:url", url);
  run("config", "set", "--secret", "odoo:apiKey", apiKey);
  if (database) run("config", "set", "odoo:database", database);
  run("up", "--yes", "--skip-preview");
  run("preview", "--expect-no-changes");
}

async function runWithDriver(url: string, apiKey: string, database?: string): Promise<void> {
  console.log("Engine: no pulumi CLI on PATH, so our engine-level driver runs the program through @pulumi/pulumi's own dynamic provider host\n");
  const config: Record<string, string> = { "odoo:url": url, "odoo:apiKey": apiKey };
  if (database) config["odoo:database"] = database;
  const show = (step: Step) => step.op !== "same" && console.log(`  ${symbol(step)} ${step.name} (${step.urn.split("::")[2]})${step.diffs?.length ? ` [${step.diffs.join(", ")}]` : ""}${step.error ? `: ${step.error}` : ""}`);
  const engine = new Engine({ programDir, project: "pulumi-odoo-quickstart", stack: "quickstart", config, secretConfig: ["odoo:apiKey"], onStep: show });
  console.log("Previewing update:");
  const preview = await engine.preview();
  if (preview.errors.length) throw new Error(preview.errors.join("\n"));
  console.log("\nUpdating:");
  const up = await engine.up();
  if (up.errors.length) throw new Error(up.errors.join("\n"));
  console.log("\nOutputs:");
  for (const [key, value] of Object.entries(up.outputs)) console.log(`  ${key}: ${JSON.stringify(value)}`);
  const again = await engine.preview();
  console.log(`\nA second preview: ${again.changes.length === 0 ? "no changes" : `${again.changes.length} change(s): ${again.changes.map((s) => s.name).join(", ")}`}`);
  if (again.changes.length) process.exitCode = 1;
}

async function show(url: string, apiKey: string, database?: string): Promise<void> {
  const client = new OdooClient({ url, apiKey, database });
  const models = await client.call<Record<string, unknown>[]>("ir.model", "search_read", {
    domain: [["model", "=like", "x_%"]],
    fields: ["model", "name", "state", "order"],
  });
  console.log("\nWhat Odoo now holds (ir.model, custom models):");
  for (const model of models) console.log(`  ${model.model}  "${model.name}"  state=${model.state} order="${model.order}"`);
  await client.close();
}

function symbol(step: Step): string {
  return step.error ? "✗" : { create: "+", update: "~", replace: "+-", delete: "-", same: " ", refresh: "~", "read-gone": "-" }[step.op];
}

main().catch((error) => {
  console.error(`\nerror: ${error.message}`);
  process.exit(1);
});
