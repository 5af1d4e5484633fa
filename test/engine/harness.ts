import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before } from "node:test";
import { OdooClient } from "../../provider/client/odoo-client";
import { type EmulatorOptions, OdooEmulator } from "../emulator/server";
import { Engine, type RunResult } from "./engine";

// An emulator, a client on it and an engine running one test program against it.

export function useEngine(program: string, options: EmulatorOptions = {}) {
  const ctx = {} as { emulator: OdooEmulator; client: OdooClient; engine: Engine; apiKey: string };
  before(async () => {
    ctx.emulator = new OdooEmulator(options);
    const url = await ctx.emulator.start();
    ctx.apiKey = ctx.emulator.apiKey();
    // Odoo 17 signs in a login with the key (JSON-RPC); 19 takes the key alone.
    const login = options.version && options.version < 19 ? "admin" : undefined;
    ctx.client = new OdooClient({ url, apiKey: ctx.apiKey, database: "odoo", login });
    ctx.engine = new Engine({
      programDir: path.join(__dirname, "programs", program),
      config: { "odoo:url": url, "odoo:apiKey": ctx.apiKey, "odoo:database": "odoo", ...(login ? { "odoo:login": login } : {}) },
      secretConfig: ["odoo:apiKey"],
    });
  });
  after(async () => {
    await ctx.client.close();
    await ctx.emulator.stop();
  });
  return ctx;
}

/** The JSON-2 calls that change something, made since `from` in the emulator's request log. */
export function writesSince(emulator: OdooEmulator, from: number): string[] {
  return emulator.requests
    .slice(from)
    .filter((r) => /^\/json\/2\/.*\/(create|write|unlink|copy)$/.test(r.path))
    .map((r) => r.path.slice("/json/2/".length));
}

export function ops(result: RunResult): string[] {
  return result.steps.map((s) => `${s.op} ${s.name}${s.diffs?.length ? ` [${s.diffs.join(",")}]` : ""}${s.error ? ` failed: ${s.error}` : ""}`);
}

export function assertClean(result: RunResult): void {
  assert.deepEqual(result.errors, []);
}
