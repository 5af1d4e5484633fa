import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { customFieldProvider } from "../../provider/resources/custom-field";
import { customModelProvider } from "../../provider/resources/custom-model";
import { rejectsWith, useEmulator } from "../helpers";

// A create whose work after Odoo made the thing fails (the read back, as Odoo 16 failed on a field
// it lacks) leaves nothing behind: the next up makes it anew instead of finding its name taken.

describe("CustomModel and CustomField: a create that fails after Odoo made the thing", () => {
  const ctx = useEmulator();
  const connection = () => ({ url: ctx.url, apiKey: ctx.emulator.apiKey(), database: "odoo" });
  const count = (model: string, domain: unknown[]) => ctx.client.call<number>(model, "search_count", { domain });

  test("the field is deleted again, and the next create makes it", async () => {
    const { inputs } = await customFieldProvider.check({}, { model: "res.partner", name: "x_undo", type: "char", connection: connection() });
    ctx.emulator.inject({ match: /ir\.model\.fields\/read$/, kind: "status", status: 502, times: Infinity });
    await rejectsWith(customFieldProvider.create(inputs), "ODOO_HTTP", /^ir\.model\.fields\/read → HTTP 502/);
    ctx.emulator.faults.length = 0;
    assert.equal(await count("ir.model.fields", [["name", "=", "x_undo"]]), 0);
    const created = await customFieldProvider.create(inputs);
    assert.equal(created.outs.name, "x_undo");
  });

  test("the model is deleted again, and the next create makes it", async () => {
    const { inputs } = await customModelProvider.check({}, { model: "x_undo_thing", name: "Undo", connection: connection() });
    ctx.emulator.inject({ match: /ir\.model\/read$/, kind: "status", status: 502, times: Infinity });
    await rejectsWith(customModelProvider.create(inputs), "ODOO_HTTP", /^ir\.model\/read → HTTP 502/);
    ctx.emulator.faults.length = 0;
    assert.equal(await count("ir.model", [["model", "=", "x_undo_thing"]]), 0);
    assert.equal((await customModelProvider.create(inputs)).outs.model, "x_undo_thing");
  });

  test("when the delete fails too, the error says what is left and how to go on", async () => {
    const { inputs } = await customFieldProvider.check({}, { model: "res.partner", name: "x_left", type: "char", connection: connection() });
    ctx.emulator.inject({ match: /ir\.model\.fields\/(read|unlink)$/, kind: "status", status: 502, times: Infinity });
    await rejectsWith(
      customFieldProvider.create(inputs),
      "ODOO_HTTP",
      /; field 'res\.partner\.x_left' was made in Odoo and could not be deleted again: delete it in Odoo, or set adopt: true to take it over$/,
    );
    ctx.emulator.faults.length = 0;
    assert.equal(
      await count("ir.model.fields", [
        ["model", "=", "res.partner"],
        ["name", "=", "x_left"],
      ]),
      1,
    );
  });
});
