import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
/** The CLI command running now, to hand an interrupt on to. */
let cliCommand: ChildProcess | undefined;
/** The CLI's state of an emulator run, which keeps nothing once this process ends. */
let throwawayBackend: string | undefined;

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
    if (cliDir) await runWithCli(cliDir, command, url, apiKey, database, !!real);
    else await runWithDriver(command, url, apiKey, database, !!real);
    if (command === "up") {
      await show(url, apiKey, database);
      console.log(nextStep(!!real));
    }
  } finally {
    await emulator?.stop();
  }
}

async function runWithCli(cliDir: string, command: string, url: string, apiKey: string, database: string | undefined, real: boolean): Promise<void> {
  const pulumi = path.join(cliDir, "pulumi");
  const version = spawnSync(pulumi, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "1" } }).stdout.trim();
  console.log(`Engine: the Pulumi CLI ${version} in ${cliDir} (local file backend)\n`);
  const backend = path.join(stateDir, real ? "backend" : `emulator-${process.pid}`);
  mkdirSync(backend, { recursive: true, mode: 0o700 });
  if (!real) throwawayBackend = backend;
  const env = {
    ...process.env,
    PATH: `${cliDir}${path.delimiter}${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "quickstart",
    PULUMI_SKIP_UPDATE_CHECK: "1",
  };
  // Not spawnSync: the emulator answers the provider from this process's event loop, which a
  // synchronous spawn would block (the up then waits for ever), and so would an interrupt's handler.
  const run = (...args: string[]) =>
    new Promise<void>((resolve, reject) => {
      cliCommand = spawn(pulumi, args, { cwd: root, env, stdio: "inherit" });
      cliCommand.once("error", reject);
      cliCommand.once("exit", (code, signal) => {
        cliCommand = undefined;
        if (code === 0) resolve();
        else reject(new Error(`pulumi ${args.join(" ")} ${signal ? `stopped by ${signal}` : "failed"}`));
      });
    });
  try {
    await run("stack", "select", "--create", "quickstart", "--non-interactive");
    if (command === "destroy") return await run("destroy", "--yes");
    await run("config", "set", "odoo:url", url);
    await run("config", "set", "--secret", "odoo:apiKey", apiKey);
    if (database) await run("config", "set", "odoo:database", database);
    await run("up", "--yes", "--skip-preview");
    await run("preview", "--expect-no-changes");
  } finally {
    forgetThrowawayState();
  }
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

function forgetThrowawayState(): void {
  if (throwawayBackend) rmSync(throwawayBackend, { recursive: true, force: true });
}

// Interrupted: the driver's provider host is stopped at once, as the CLI stops its plugins. The CLI
// cancels as it does on Ctrl-C (it finishes what is under way, saves the state, and stops): a
// terminal's Ctrl-C reaches it already, a kill is handed on as one; a second interrupt is handed on
// too, which the CLI takes as "stop now". Then this process ends, and the emulator with it.
let interrupts = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupts += 1;
    const running = cliCommand;
    const end = () => {
      const kept = engine?.state.size || (running && !throwawayBackend);
      console.error(`\ninterrupted (${signal})${kept ? ": what was applied so far is in the state" : ""}`);
      forgetThrowawayState();
      process.exit(130);
    };
    engine?.killHost();
    if (!running) return end();
    if (interrupts === 1) running.once("exit", end);
    if (signal === "SIGTERM" || interrupts > 1) running.kill("SIGINT");
  });
}

main().catch((error) => {
  console.error(`\nerror: ${error.message}`);
  process.exit(1);
});
