import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { OdooClient } from "../../provider/client/odoo-client";
import { realTarget, type RealTarget } from "../acceptance/harness";
import { RecordingProxy } from "../acceptance/recording-proxy";
import { CliEngine } from "../cli/cli-engine";
import { locateCli, type ProgramEngine } from "../cli/locate";
import type { OdooVersion } from "../emulator/orm";
import { type EmulatorOptions, OdooEmulator } from "../emulator/server";
import { Engine } from "../engine/engine";
import { describeUnless, tracesIn } from "../helpers";

// A scenario is written once and run against the target the environment chooses, as Terraform's
// TF_ACC chooses: by default the emulator, through our engine-level driver (npm test, seconds);
// with ODOO_ACC=1, the real Odoo named by ODOO_URL, ODOO_DATABASE, ODOO_API_KEY (and the other
// ODOO_* of the acceptance suites), through the real Pulumi CLI (the acceptance runner sets it).
// ODOO_ACC_ENGINE=cli runs the emulator's scenarios through the real CLI too.
// Either way the program reaches the server through a recording proxy, so that a test says exactly
// what a preview or an up sent in the same words on both.

export type TargetKind = "emulator" | "real";

export interface TargetContext {
  kind: TargetKind;
  /** The engine running the program: our driver on the emulator, the real CLI on a real Odoo. */
  engine: ProgramEngine;
  /** Talks to the server directly (not through the proxy), for the tests' own looks and changes. */
  client: OdooClient;
  /** Every call the program's provider made, as `model/method` (see RecordingProxy). */
  proxy: RecordingProxy;
  /** The server's major version, e.g. 17. */
  version: number;
  /** The server as the program reaches it (the proxy), its database and key. */
  url: string;
  database: string;
  apiKey: string;
  /** Set on a real Odoo: its ODOO_* (the log file, PostgreSQL, the master password). */
  real?: RealTarget;
  /** Set on the emulator: its state, for what only an emulator can stage. */
  emulator?: OdooEmulator;
  /**
   * Another program (a folder holding index.js) run as `engine` runs this one, on the same server;
   * `cli`: through the real CLI on the emulator too (what our driver does not model: protect);
   * `config`: stack configuration over the target's (another database of the server: odoo:database, odoo:apiKey).
   */
  engineFor(programDir: string, options?: { cli?: boolean; config?: Record<string, string> }): ProgramEngine;
}

/** The target ODOO_ACC chooses. */
export function targetKind(): TargetKind {
  return process.env.ODOO_ACC === "1" ? "real" : "emulator";
}

const MISSING = "ODOO_ACC=1 asks for a real Odoo: set ODOO_URL, ODOO_DATABASE and ODOO_API_KEY (npm run real-odoo prints them)";

/**
 * A scenario on the chosen target: on the emulator once per version of `versions` (default 19), on
 * a real Odoo once, at the server's version. `suite` declares its tests on the context `useTarget`
 * fills before they run.
 */
export function describeScenario(name: string, suite: (version: OdooVersion | undefined) => void, versions: OdooVersion[] = [19]): void {
  if (targetKind() === "emulator") {
    for (const version of versions) describe(`${name} (emulator of Odoo ${version})`, () => suite(version));
    return;
  }
  if (realTarget()) return void describe(`${name} (real Odoo)`, () => suite(undefined));
  if (process.env.CI === "true") return void describe(name, () => test("a real Odoo is configured", () => assert.fail(MISSING)));
  console.log(`# ${name}: skipped: ${MISSING}`);
  describeUnless(MISSING, name, () => {});
}

/** Runs `program` (a folder of test/engine/programs) against the chosen target; `version` picks the emulator's. */
export function useTarget(program: string, version: OdooVersion | undefined, options: EmulatorOptions = {}): TargetContext {
  const ctx = { kind: targetKind() } as TargetContext;
  const programDir = path.join(__dirname, "../engine/programs", program);
  before(async () => {
    let serverUrl: string;
    let login: string | undefined;
    let masterPassword: string | undefined;
    if (ctx.kind === "real") {
      ctx.real = realTarget()!;
      ({ url: serverUrl, database: ctx.database, apiKey: ctx.apiKey, login, masterPassword } = ctx.real);
    } else {
      ctx.emulator = new OdooEmulator({ ...options, version: version ?? options.version });
      serverUrl = await ctx.emulator.start();
      ctx.database = "odoo";
      ctx.apiKey = ctx.emulator.apiKey();
      // Odoo 14–18 sign a login in with the key (JSON-RPC); 19 takes the key alone.
      login = version && version < 19 ? "admin" : undefined;
    }
    ctx.proxy = new RecordingProxy(serverUrl);
    ctx.url = await ctx.proxy.start();
    ctx.client = new OdooClient({ url: serverUrl, database: ctx.database, apiKey: ctx.apiKey, login });
    ctx.version = (await ctx.client.version()).major;
    const base: Record<string, string> = { "odoo:url": ctx.url, "odoo:database": ctx.database, "odoo:apiKey": ctx.apiKey };
    if (login) base["odoo:login"] = login;
    if (masterPassword) base["odoo:masterPassword"] = masterPassword;
    const secretConfig = ["odoo:apiKey", "odoo:masterPassword"];
    ctx.engineFor = (dir, { cli = false, config: over = {} } = {}) => {
      const config = { ...base, ...over };
      if (ctx.kind === "emulator" && process.env.ODOO_ACC_ENGINE !== "cli" && !cli) return new Engine({ programDir: dir, config, secretConfig });
      const cliDir = locateCli();
      assert.ok(cliDir, "a real Odoo is run through the real Pulumi CLI: build it with `npm run pulumi-cli`, or put pulumi and pulumi-language-nodejs on PATH");
      return new CliEngine({ cliDir, programDir: dir, config, secretConfig });
    };
    ctx.engine = ctx.engineFor(programDir);
  });
  after(async () => {
    await ctx.client?.close();
    await ctx.proxy?.stop();
    await ctx.emulator?.stop();
    // Whatever the suite did, failures included, the user saw sentences: no JavaScript stack, no
    // Python traceback, anywhere in the engine's output.
    if (ctx.engine) assert.deepEqual(tracesIn(ctx.engine.logs.join("")), []);
  });
  return ctx;
}
