import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { OdooClient } from "../../provider/client/odoo-client";
import { CliEngine } from "../cli/cli-engine";
import { describeWithCli, type ProgramEngine } from "../cli/locate";
import { OdooEmulator } from "../emulator/server";
import { Engine, type RunResult } from "./engine";
import { ops } from "./harness";

// Our engine-level driver still runs the emulator's suites (the fault matrix, the concurrency
// suites: thousands of operations the real CLI would take an hour for). It may stand in for the
// engine only where the two agree: the same program, the same changes, through both, each on an
// emulator of its own, must give the same steps (operation, resource, changed properties), the same
// check failures, errors and outputs, and the same state.

/** One operation of the script, after the config changes and the change in Odoo it names. */
interface Move {
  what: string;
  config?: Record<string, string>;
  byHand?: (client: OdooClient) => Promise<void>;
  run: "preview" | "up" | "refresh" | "destroy";
}

const fieldId = async (client: OdooClient) =>
  (
    await client.call<number[]>("ir.model.fields", "search", {
      domain: [
        ["model", "=", "x_engine_thing"],
        ["name", "=", "x_code"],
      ],
    })
  )[0];

const SCRIPT: Move[] = [
  { what: "a preview of a new program", run: "preview" },
  { what: "up", run: "up" },
  { what: "a second preview", run: "preview" },
  { what: "a preview of a new label and help", config: { "test:label": "Code", "test:help": "The code" }, run: "preview" },
  { what: "their up", run: "up" },
  { what: "a preview of a size of zero (a check failure)", config: { "test:size": "0" }, run: "preview" },
  { what: "a preview of a new type (a replacement)", config: { "test:size": "", "test:type": "text" }, run: "preview" },
  { what: "its up", run: "up" },
  {
    what: "a refresh after the label changed in Odoo",
    byHand: async (client) => void (await client.call("ir.model.fields", "write", { ids: [await fieldId(client)], vals: { field_description: "By hand" } })),
    run: "refresh",
  },
  { what: "the up that puts it back", run: "up" },
  {
    what: "a refresh after the field was deleted in Odoo",
    byHand: async (client) => void (await client.call("ir.model.fields", "unlink", { ids: [await fieldId(client)] })),
    run: "refresh",
  },
  { what: "the up that makes it again", run: "up" },
  { what: "destroy", run: "destroy" },
];

/**
 * Odoo's ids as "<id>": resources made side by side get them in whichever order their creates
 * arrive, which neither engine fixes. Whether an id is known (a preview's unknown) still counts.
 */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, /^(id|.*Id)$/.test(key) && typeof v === "number" ? "<id>" : withoutIds(v)]));
}

/**
 * What must agree of an operation: its steps (in a stable order), failures, errors and outputs. When
 * one fails, the engine stops the others wherever they are: which unchanged ("same") steps were
 * reported by then is timing, so only the failed and changing ones count.
 */
function seen(result: RunResult) {
  const steps = ops(result).sort();
  return {
    steps: result.errors.length ? steps.filter((op) => !op.startsWith("same ") || op.includes(" failed: ")) : steps,
    failures: result.steps.flatMap((s) => (s.failures ?? []).map((f) => `${s.name}: ${f.property}: ${f.reason}`)).sort(),
    errors: [...result.errors].sort(),
    outputs: withoutIds(result.outputs),
  };
}

/** The state that must agree: each resource's type, name and outputs. */
function stateOf(engine: ProgramEngine) {
  return [...engine.state.values()]
    .filter((r) => r.type.includes("odoo:"))
    .map((r) => ({ type: r.type, name: r.name, outputs: withoutIds(r.outputs) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describeWithCli("the engine-level driver and the real CLI agree step for step", (cliDir) => {
  const runs: { emulator: OdooEmulator; client: OdooClient; engine: ProgramEngine }[] = [];
  before(async () => {
    for (const kind of ["driver", "cli"] as const) {
      const emulator = new OdooEmulator();
      const url = await emulator.start();
      const config = { "odoo:url": url, "odoo:apiKey": emulator.apiKey(), "odoo:database": "odoo" };
      const options = { programDir: path.join(__dirname, "programs", "custom-field"), config, secretConfig: ["odoo:apiKey"] };
      const engine = kind === "driver" ? new Engine(options) : new CliEngine({ ...options, cliDir });
      runs.push({ emulator, client: new OdooClient({ url, apiKey: emulator.apiKey(), database: "odoo" }), engine });
    }
  });
  after(async () => {
    for (const run of runs) {
      await run.client.close();
      await run.emulator.stop();
    }
  });

  for (const move of SCRIPT) {
    test(move.what, async () => {
      const [driver, cli] = await Promise.all(
        runs.map(async ({ engine, client }) => {
          for (const [key, value] of Object.entries(move.config ?? {})) engine.setConfig(key, value);
          await move.byHand?.(client);
          return seen(await engine[move.run]());
        }),
      );
      assert.deepEqual(driver, cli);
      assert.deepEqual(stateOf(runs[0].engine), stateOf(runs[1].engine));
    });
  }
});
