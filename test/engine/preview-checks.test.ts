import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { useEngine, writesSince } from "./harness";

// What preview learns from the server when a connection is configured: a refused key, a name a
// create would take that is taken, and a Record of a model Odoo does not have.

describe("preview asks the server what only the server knows", () => {
  const ctx = useEngine("custom-field");

  test("a wrong API key fails preview with the key's problem, and sends no write", async () => {
    ctx.engine.setConfig("odoo:apiKey", "0".repeat(40), true);
    const from = ctx.emulator.requests.length;
    const result = await ctx.engine.preview();
    const reason = `${ctx.emulator.url} (database 'odoo') refused the stack's odoo:* configuration: res.users/context_get → 401 Unauthorized: Invalid apikey: the API key was refused (wrong, expired, revoked, or created in another database)`;
    // The model fails first; its fields, which wait on its outputs, are never registered.
    assert.deepEqual(
      result.steps.map((s) => [s.name, s.failures]),
      [["thing", [{ property: "connection", reason }]]],
    );
    assert.deepEqual(writesSince(ctx.emulator, from), []);
    ctx.engine.setConfig("odoo:apiKey", ctx.apiKey, true);
  });

  test("a field whose name is taken on an existing model fails at preview, not at up", async () => {
    const [partner] = await ctx.client.call<{ id: number }[]>("ir.model", "search_read", { domain: [["model", "=", "res.partner"]], fields: ["id"] });
    const [id] = await ctx.client.call<number[]>("ir.model.fields", "create", {
      vals_list: [{ model_id: partner.id, name: "x_thing_id", ttype: "char", field_description: "Made by hand", state: "manual" }],
    });
    const result = await ctx.engine.preview();
    assert.deepEqual(result.steps.find((s) => s.name === "partner-thing")?.failures, [
      {
        property: "name",
        reason: `field 'res.partner.x_thing_id' already exists in Odoo (ir.model.fields id ${id}): set adopt: true to take it over, or choose another name`,
      },
    ]);
    await ctx.client.call("ir.model.fields", "unlink", { ids: [id] });
    assert.deepEqual(result.errors.length, 1);
  });
});

describe("a Record of a model Odoo does not have", () => {
  const ctx = useEngine("record");

  test("is warned about at preview (the program may create it), not refused", async () => {
    ctx.engine.setConfig("test:model", "x_no_such_model");
    const logs = ctx.engine.logs.length;
    const result = await ctx.engine.preview();
    assert.deepEqual(result.errors, []);
    assert.match(
      ctx.engine.logs.slice(logs).join(""),
      /warning: model 'x_no_such_model' does not exist in Odoo \(yet\): the Record can only be created if this program creates the model first \(pass a CustomModel's model output to say so\)/,
    );
  });
});
