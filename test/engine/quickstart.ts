import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { OdooClient } from "../../provider/client/odoo-client";
import { locateCli } from "../cli/locate";
import { OdooEmulator } from "../emulator/server";
import { Engine, type Step } from "./engine";

// The main job (`npm run quickstart`): applies examples/quickstart to the embedded Odoo emulator,
// or to a real Odoo when ODOO_URL and ODOO_API_KEY are set, and shows what Odoo then holds. With the
// Pulumi CLI (built by npm run pulumi-cli, or on PATH) it runs the root Pulumi project (a local file
// backend); otherwise it runs the
// same program through our engine-level driver. Either way it says which. On a real Odoo the state
// is kept in .pulumi-odoo/quickstart/ (secrets encrypted), so that a second run changes nothing
// and `npm run quickstart -- destroy` removes what the first made.

const root = path.resolve(__dirname, "../../..");
const programDir = path.join(root, "bin/examples/quickstart");
const stateDir = process.env.QUICKSTART_STATE_DIR ?? path.join(root, ".pulumi-odoo", "quickstart");
let engine: Engine | undefined;

async function main(): Promise<void> {
  const command = process.argv[2] ?? "up";
  if (!["up", "destroy"].includes(command)) throw new Error(`unknown command '${command}': npm run quickstart [-- destroy]`);
  const { ODOO_URL, ODOO_API_KEY } = process.env;
  if (!!ODOO_URL !== !!ODOO_API_KEY) {
    throw new Error(
      `${ODOO_URL ? "ODOO_URL is set but ODOO_API_KEY is not" : "ODOO_API_KEY is set but ODOO_URL is not"}: set both (and ODOO_DATABASE where the server holds several databases) to use a real Odoo, or neither to use the emulator`,
    );
  }
  const real = ODOO_URL && ODOO_API_KEY;
  if (command === "destroy" && !real) {
    console.log("Nothing to destroy: without ODOO_URL and ODOO_API_KEY the quickstart runs on an emulator that keeps nothing.");
    return;
  }
  const emulator = real ? undefined : new OdooEmulator();
  const url = real ? process.env.ODOO_URL! : await emulator!.start();
  const apiKey = real ? process.env.ODOO_API_KEY! : emulator!.apiKey();
  const database = real ? process.env.ODOO_DATABASE : "odoo";
  console.log(
    real ? `Target: the Odoo at ${url}${database ? ` (database ${database})` : ""}` : `Target: the embedded Odoo 19 emulator at ${url} (database ${database})`,
  );
  try {
    const cliDir = locateCli();
    if (cliDir) runWithCli(cliDir, command, url, apiKey, database, !!real);
    else await runWithDriver(command, url, apiKey, database, !!real);
    if (command === "up") {
      await show(url, apiKey, database);
      console.log(nextStep(!!real));
    }
  } finally {
    await emulator?.stop();
  }
}

function runWithCli(cliDir: string, command: string, url: string, apiKey: string, database: string | undefined, real: boolean): void {
  const pulumi = path.join(cliDir, "pulumi");
  const version = spawnSync(pulumi, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "1" } }).stdout.trim();
  console.log(`Engine: the Pulumi CLI ${version} in ${cliDir} (local file backend)\n`);
  const backend = path.join(stateDir, real ? "backend" : `emulator-${process.pid}`);
  mkdirSync(backend, { recursive: true, mode: 0o700 });
  const env = {
    ...process.env,
    PATH: `${cliDir}${path.delimiter}${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "quickstart",
    PULUMI_SKIP_UPDATE_CHECK: "1",
  };
  const run = (...args: string[]) => {
    const result = spawnSync(pulumi, args, { cwd: root, env, stdio: "inherit" });
    if (result.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed`);
  };
  run("stack", "select", "--create", "quickstart", "--non-interactive");
  if (command === "destroy") return run("destroy", "--yes");
  run("config", "set", "odoo:url", url);
  run("config", "set", "--secret", "odoo:apiKey", apiKey);
  if (database) run("config", "set", "odoo:database", database);
  run("up", "--yes", "--skip-preview");
  run("preview", "--expect-no-changes");
}

/** A real target's checkpoint and its key, kept between runs (0600); none for the emulator. */
function kept(url: string, database: string | undefined, real: boolean): { statePath?: string; stateKey?: Buffer } {
  if (!real) return {};
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const keyFile = path.join(stateDir, "key");
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString("hex"), { mode: 0o600 });
  const target = `${new URL(url).host}_${database ?? "default"}`.replace(/[^\w.-]/g, "_");
  return { statePath: path.join(stateDir, `${target}.json`), stateKey: Buffer.from(readFileSync(keyFile, "utf8"), "hex") };
}

async function runWithDriver(command: string, url: string, apiKey: string, database: string | undefined, real: boolean): Promise<void> {
  console.log(
    "Engine: no Pulumi CLI (npm run pulumi-cli builds one), so our engine-level driver runs the program through @pulumi/pulumi's own dynamic provider host\n",
  );
  const config: Record<string, string> = { "odoo:url": url, "odoo:apiKey": apiKey };
  if (database) config["odoo:database"] = database;
  const show = (step: Step) =>
    step.op !== "same" &&
    console.log(
      `  ${symbol(step)} ${step.name} (${step.urn.split("::")[2]})${step.diffs?.length ? ` [${step.diffs.join(", ")}]` : ""}${step.error ? `: ${step.error}` : ""}`,
    );
  engine = new Engine({
    programDir,
    project: "pulumi-odoo-quickstart",
    stack: "quickstart",
    config,
    secretConfig: ["odoo:apiKey"],
    onStep: show,
    ...kept(url, database, real),
  });
  engine.load();
  if (command === "destroy") {
    console.log(`Destroying (${engine.state.size} resource${engine.state.size === 1 ? "" : "s"} in the state):`);
    const destroyed = await engine.destroy();
    if (destroyed.errors.length) throw new Error(destroyed.errors.join("\n"));
    return;
  }
  console.log("Previewing update:");
  const preview = await engine.preview();
  if (preview.errors.length) throw new Error(preview.errors.join("\n"));
  console.log("\nUpdating:");
  const up = await engine.up();
  if (up.errors.length) throw new Error(up.errors.join("\n"));
  console.log("\nOutputs:");
  for (const [key, value] of Object.entries(up.outputs)) console.log(`  ${key}: ${JSON.stringify(value)}`);
  const again = await engine.preview();
  console.log(
    `\nA second preview: ${again.changes.length === 0 ? "no changes" : `${again.changes.length} change(s): ${again.changes.map((s) => s.name).join(", ")}`}`,
  );
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

/** Where a newcomer goes from here. */
function nextStep(real: boolean): string {
  return [
    "\nNext:",
    real
      ? "  - look at the model in Odoo (Settings › Technical › Models), then `npm run quickstart -- destroy` to remove it"
      : "  - run it against your own Odoo: ODOO_URL=… ODOO_API_KEY=… [ODOO_DATABASE=…] npm run quickstart",
    '  - make a project of your own: README, "Quick start in your own project"; the examples/ folder has six programs',
  ].join("\n");
}

function symbol(step: Step): string {
  return step.error ? "✗" : { create: "+", update: "~", replace: "+-", delete: "-", same: " ", refresh: "~", "read-gone": "-" }[step.op];
}

// Interrupted (Ctrl-C, kill): stop the provider host at once, as the Pulumi CLI stops its plugins.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    engine?.killHost();
    console.error(`\ninterrupted (${signal})${engine?.state.size ? ": what was applied so far is in the state" : ""}`);
    process.exit(130);
  });
}

main().catch((error) => {
  console.error(`\nerror: ${error.message}`);
  process.exit(1);
});
