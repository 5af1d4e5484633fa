import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { describeWithCli } from "../cli/locate";
import { pulumiSdkVersion } from "../pulumi-cli/build";
import { OdooEmulator } from "../emulator/server";
import { tempDir } from "../temp";

// The main job on a "real" Odoo (an emulator given as ODOO_URL): it keeps its state between runs,
// so a second run changes nothing and `destroy` removes what the first made; a missing key is said.

const run = promisify(execFile);
const quickstart = path.join(__dirname, "quickstart.js");

describe("npm run quickstart against a server named by ODOO_URL, through the engine-level driver", () => {
  const emulator = new OdooEmulator();
  const stateDir = tempDir("quickstart-state-");
  let env: NodeJS.ProcessEnv;
  const models = () => emulator.databases.get("odoo")!.orm.model("ir.model").records.size;
  before(async () => {
    const url = await emulator.start();
    env = {
      ...process.env,
      PATH: "/usr/bin:/bin",
      PULUMI_ODOO_CLI_DIR: "none",
      ODOO_URL: url,
      ODOO_API_KEY: emulator.apiKey(),
      ODOO_DATABASE: "odoo",
      QUICKSTART_STATE_DIR: stateDir,
    };
  });
  after(() => emulator.stop());

  test("two runs make the model once; the state is kept, its secrets encrypted", async () => {
    const before = models();
    const first = await run(process.execPath, [quickstart], { env });
    assert.match(first.stdout, /\+ book \(pulumi-nodejs:dynamic\/odoo:CustomModel\)/);
    const second = await run(process.execPath, [quickstart], { env });
    assert.match(second.stdout, /A second preview: no changes/);
    assert.doesNotMatch(second.stdout, /\+ book/);
    assert.equal(models(), before + 1);
    const state = `127.0.0.1_${new URL(env.ODOO_URL!).port}_odoo.json`;
    assert.deepEqual(readdirSync(stateDir).sort(), [state, "key"]);
    assert.ok(!readFileSync(path.join(stateDir, state), "utf8").includes(emulator.apiKey()));
  });

  test("destroy removes what the runs made", async () => {
    const before = models();
    const destroyed = await run(process.execPath, [quickstart, "destroy"], { env });
    assert.match(destroyed.stdout, /Destroying \(1 resource in the state\):\n {2}- book/);
    assert.equal(models(), before - 1);
  });

  test("ODOO_URL without ODOO_API_KEY says what is missing instead of using the emulator", async () => {
    await assert.rejects(run(process.execPath, [quickstart], { env: { ...env, ODOO_API_KEY: "" } }), (error: { stderr: string }) => {
      assert.equal(
        error.stderr.trim(),
        "error: ODOO_URL is set but ODOO_API_KEY is not: set both (and ODOO_DATABASE where the server holds several databases) to use a real Odoo, or neither to use the emulator",
      );
      return true;
    });
  });
});

describeWithCli("npm run quickstart through the Pulumi CLI", (cliDir) => {
  const emulator = new OdooEmulator();
  const stateDir = tempDir("quickstart-state-");
  let env: NodeJS.ProcessEnv;
  const models = () => emulator.databases.get("odoo")!.orm.model("ir.model").records.size;
  before(async () => {
    const url = await emulator.start();
    env = {
      ...process.env,
      PULUMI_ODOO_CLI_DIR: cliDir,
      ODOO_URL: url,
      ODOO_API_KEY: emulator.apiKey(),
      ODOO_DATABASE: "odoo",
      QUICKSTART_STATE_DIR: stateDir,
    };
  });
  after(async () => {
    await emulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test("says which CLI, makes the model once over two runs, and destroys it", async () => {
    const before = models();
    const first = await run(process.execPath, [quickstart], { env });
    assert.match(first.stdout, new RegExp(`^Engine: the Pulumi CLI v${pulumiSdkVersion().replace(/\./g, "\\.")} in ${cliDir} \\(local file backend\\)$`, "m"));
    assert.match(first.stdout, /\+ {2}pulumi-nodejs:dynamic\/odoo:CustomModel book created/);
    const second = await run(process.execPath, [quickstart], { env });
    assert.match(second.stdout, /^ {4}2 unchanged$/m);
    assert.equal(models(), before + 1);
    await run(process.execPath, [quickstart, "destroy"], { env });
    assert.equal(models(), before);
  });

  test("killed in the middle of up, it stops the CLI (which saves what was applied) and ends", async () => {
    emulator.inject({ match: /ir\.model\/create$/, kind: "delay", delayMs: 3000 });
    const child = spawn(process.execPath, [quickstart], { env });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        if (stdout.includes("CustomModel book creating")) resolve();
      }),
    );
    const cli = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim());
    child.kill("SIGTERM");
    assert.equal(await exited, 130);
    assert.match(stdout, /^\^C received; cancelling\./m);
    assert.match(stdout, /error: update canceled/);
    assert.equal(stderr.trim().split("\n").pop(), "interrupted (SIGTERM): what was applied so far is in the state");
    assert.equal(existsSync(`/proc/${cli}`), false, "the pulumi up the quickstart ran has ended");
    await run(process.execPath, [quickstart, "destroy"], { env });
  });

  test("npm stops it: each npm script that runs a program execs node, which npm's SIGTERM then reaches", () => {
    const scripts: Record<string, string> = JSON.parse(readFileSync(path.join(__dirname, "../../../package.json"), "utf8")).scripts;
    for (const name of ["quickstart", "emulator", "real-odoo", "bench", "pulumi-cli"]) assert.match(scripts[name], /&& exec node bin\/[\w/-]+\.js$/, name);
  });

  test("on the embedded emulator (no ODOO_URL) through the CLI: up, an empty preview, and its state gone with it", async () => {
    const embedded = { ...env, ODOO_URL: "", ODOO_API_KEY: "", ODOO_DATABASE: "" };
    const { stdout } = await run(process.execPath, [quickstart], { env: embedded });
    assert.match(stdout, /^Target: the embedded Odoo 19 emulator at http:\/\/127\.0\.0\.1:\d+ \(database odoo\)$/m);
    assert.match(stdout, /^ {4}2 unchanged$/m);
    assert.match(stdout, /^ {2}x_library_book {2}"Library Book" {2}state=manual order="x_name asc"$/m);
    assert.deepEqual(
      readdirSync(stateDir).filter((name) => name.startsWith("emulator-")),
      [],
    );
  });
});
