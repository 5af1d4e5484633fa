import { describeUnless, tracesIn } from "../helpers";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { OdooClient } from "../../provider/client/odoo-client";
import { CliEngine } from "../cli/cli-engine";
import { locateCli, type ProgramEngine } from "../cli/locate";
import type { EngineOptions, RunResult } from "../engine/engine";
import { assertClean, ops as engineOps } from "../engine/harness";
import { RecordingProxy } from "./recording-proxy";

// The acceptance suites run real Pulumi programs through the engine-level driver, with the engine's
// parallelism, against the real Odoo named by ODOO_URL, ODOO_DATABASE, ODOO_API_KEY (ODOO_LOGIN on
// 14–18, ODOO_MASTER_PASSWORD for databases, ODOO_LOG for the server's log, ODOO_POSTGRES_URL to hold
// a lock as another process of the server would). `npm run real-odoo`
// starts one and prints them. Without them a suite says it skipped, and fails when CI=true.

export interface RealTarget {
  url: string;
  database: string;
  apiKey: string;
  login?: string;
  masterPassword?: string;
  /** The admin's password (ODOO_ADMIN_PASSWORD), for the web client's login page. */
  adminPassword?: string;
  logFile?: string;
  /** The database in PostgreSQL as Odoo's role reaches it (ODOO_POSTGRES_URL), to act as another process of the server. */
  postgresUrl?: string;
}

export function realTarget(): RealTarget | undefined {
  const { ODOO_URL: url, ODOO_DATABASE: database, ODOO_API_KEY: apiKey } = process.env;
  if (!url || !database || !apiKey) return undefined;
  return {
    url,
    database,
    apiKey,
    login: process.env.ODOO_LOGIN,
    masterPassword: process.env.ODOO_MASTER_PASSWORD,
    adminPassword: process.env.ODOO_ADMIN_PASSWORD,
    logFile: process.env.ODOO_LOG,
    postgresUrl: process.env.ODOO_POSTGRES_URL,
  };
}

const MISSING = "set ODOO_URL, ODOO_DATABASE and ODOO_API_KEY (npm run real-odoo prints them) to run the acceptance suites against a real Odoo";

/** A suite against the real server: skipped without one, and a failure in CI, where one must be. */
export function describeReal(name: string, suite: (target: RealTarget) => void): void {
  const target = realTarget();
  if (target) return void describe(name, () => suite(target));
  if (process.env.CI === "true")
    return void describe(name, () => test("a real Odoo is configured", () => assert.fail(`CI=true, but no real Odoo: ${MISSING}`)));
  console.log(`# ${name}: skipped: ${MISSING}`);
  describeUnless(MISSING, name, () => {});
}

export interface RealContext {
  /** The real Pulumi CLI running the program. */
  engine: CliEngine;
  /** Talks to the server directly (not through the proxy), for the tests' own looks and changes. */
  client: OdooClient;
  proxy: RecordingProxy;
  target: RealTarget;
  /** The server's major version, e.g. 18. */
  version: number;
  /** The server's version as the provider names it in its messages, e.g. "17.0" or "18.0-20250506". */
  versionName: string;
}

/** An engine running `programDir` against the real server through a recording proxy. */
export function useRealEngine(target: RealTarget, programDir: string, options: Partial<EngineOptions> = {}): RealContext {
  const ctx = { target } as RealContext;
  before(async () => {
    ctx.proxy = new RecordingProxy(target.url);
    const url = await ctx.proxy.start();
    ctx.client = new OdooClient({ url: target.url, database: target.database, apiKey: target.apiKey, login: target.login });
    ({ major: ctx.version, version: ctx.versionName } = await ctx.client.version());
    const config: Record<string, string> = { "odoo:url": url, "odoo:database": target.database, "odoo:apiKey": target.apiKey };
    if (target.login) config["odoo:login"] = target.login;
    if (target.masterPassword) config["odoo:masterPassword"] = target.masterPassword;
    const cliDir = locateCli();
    assert.ok(
      cliDir,
      "the acceptance suites run through the real Pulumi CLI: build it with `npm run pulumi-cli`, or put pulumi and pulumi-language-nodejs on PATH",
    );
    ctx.engine = new CliEngine({ cliDir, programDir, config, secretConfig: ["odoo:apiKey", "odoo:masterPassword"], ...options });
  });
  after(async () => {
    await ctx.client.close();
    await ctx.proxy.stop();
    // Whatever the suite did, failures included, the user saw sentences: no JavaScript stack, no
    // Python traceback, anywhere in the CLI's output or its diagnostics.
    assert.deepEqual(tracesIn(ctx.engine.logs.join("")), []);
  });
  return ctx;
}

export const programs = (name: string) => path.join(__dirname, "programs", name);
export const examples = (name: string) => path.join(__dirname, "../../examples", name);

export { assertClean };

/** The engine harness's step list, sorted: with the engine's parallelism, steps finish in any order. */
export function ops(result: RunResult): string[] {
  return engineOps(result).sort();
}

/** What the helpers below need of a suite: its engine, and the proxy that notes what the provider sent. */
export interface Watched {
  engine: ProgramEngine;
  proxy: RecordingProxy;
}

/** A preview that must send nothing that changes the server: its result, to look at its steps. */
export async function previewWritingNothing(ctx: Watched): Promise<RunResult> {
  const from = ctx.proxy.calls.length;
  const result = await ctx.engine.preview();
  assertClean(result);
  assert.deepEqual(ctx.proxy.writesSince(from), []);
  return result;
}

/** A preview that fails with exactly these errors, and sends nothing that changes the server. */
export async function previewRefused(ctx: Watched, errors: string[]): Promise<void> {
  const from = ctx.proxy.calls.length;
  const result = await ctx.engine.preview();
  assert.deepEqual(result.errors, errors);
  assert.deepEqual(ctx.proxy.writesSince(from), []);
}

/** After an up: a second preview shows no change, and a refresh no drift. */
export async function assertSteady(engine: ProgramEngine): Promise<void> {
  assert.deepEqual((await engine.preview()).changes, []);
  const refresh = await engine.refresh();
  assertClean(refresh);
  assert.deepEqual(refresh.changes, []);
}

/**
 * What a program can leave behind on the server, counted: the same before an up and after its
 * destroy. `exceptModules`: external ids of these modules are not counted (uninstalling mail leaves
 * some of its own behind: Odoo's doing, not the program's).
 */
export async function census(client: OdooClient, exceptModules: string[] = []): Promise<Record<string, number>> {
  const count = (model: string, domain: unknown[] = []) => client.call<number>(model, "search_count", { domain, context: { active_test: false } });
  const [models, fields, access, externalIds, partners, tags, currencies] = await Promise.all([
    count("ir.model", [["model", "=like", "x_%"]]),
    count("ir.model.fields", [["name", "=like", "x_%"]]),
    count("ir.model.access"),
    count("ir.model.data", exceptModules.length ? [["module", "not in", exceptModules]] : []),
    count("res.partner"),
    count("res.partner.category"),
    count("res.currency", [["active", "=", true]]),
  ]);
  return { models, fields, access, externalIds, partners, tags, currencies };
}

/** The server's log shows no restart: Odoo reloads itself when a request outlives limit_time_real. */
export function assertNoRestart(target: RealTarget | undefined): void {
  if (!target?.logFile || !existsSync(target.logFile)) return;
  const restarts = readFileSync(target.logFile, "utf8")
    .split("\n")
    .filter((line) => /Initiating server reload|virtual real time limit/.test(line));
  assert.deepEqual(restarts, []);
}

/** Every line the engine logged, for secrets searches. */
export function secretsIn(ctx: Watched, secrets: string[]): string[] {
  const haystack = ctx.engine.checkpoint() + ctx.engine.logs.join("");
  return secrets.filter((secret) => secret && haystack.includes(secret));
}

/** Odoo's refusal of a partner tag whose parent does not exist (odoo19-facts §2: a foreign key, said as a ValidationError). */
export function parentRefusal(version: number): string {
  if (version >= 19) {
    return "res.partner.category/create → 422 ValidationError: The operation cannot be completed: Another model is using the record you are trying to delete. The troublemaker is: 'Partner Tags' (res.partner.category) Thanks to the following constraint: 'Category' (parent_id) How about archiving the record instead?";
  }
  return "res.partner.category/create → ValidationError: The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead. Model: Partner Tags (res.partner.category) Constraint: res_partner_category_parent_id_fkey";
}
