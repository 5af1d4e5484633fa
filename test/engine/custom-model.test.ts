import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertClean, ops, useEngine, writesSince } from "./harness";

// CustomModel through @pulumi/pulumi's real dynamic provider host: preview, up, a second preview
// with no change, refresh, drift, update in place, replace, guarded destroy, adoption, bad input.

describe("CustomModel, engine level", () => {
  const ctx = useEngine("custom-model", { databases: ["odoo", "elsewhere"] });
  const readModel = async (model = "x_engine_book") =>
    (
      await ctx.client.call<Record<string, unknown>[]>("ir.model", "search_read", {
        domain: [["model", "=", model]],
        fields: ["name", "order", "transient", "info"],
      })
    )[0];

  test("preview shows a create and changes nothing on the server", async () => {
    const from = ctx.emulator.requests.length;
    const result = await ctx.engine.preview();
    assertClean(result);
    assert.deepEqual(ops(result), ["create book"]);
    assert.deepEqual(writesSince(ctx.emulator, from), []);
    assert.equal(await readModel(), undefined);
  });

  test("up creates the model with its access rules in one call, and records can be created at once", async () => {
    const from = ctx.emulator.requests.length;
    const result = await ctx.engine.up();
    assertClean(result);
    assert.deepEqual(ops(result), ["create book"]);
    assert.deepEqual(writesSince(ctx.emulator, from), ["ir.model/create"]);
    const row = await readModel();
    assert.deepEqual(result.outputs, { modelId: row.id, model: "x_engine_book" });
    assert.deepEqual(row, { id: row.id, name: "Engine Book", order: "id", transient: false, info: false });
    assert.equal((await ctx.client.call<number[]>("x_engine_book", "create", { vals_list: [{ x_name: "first" }] })).length, 1);
  });

  test("a second preview shows no change, and refresh no drift", async () => {
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    const refresh = await ctx.engine.refresh();
    assertClean(refresh);
    assert.deepEqual(refresh.changes, []);
  });

  test("refresh shows drift made in Odoo, and up puts it back", async () => {
    const row = await readModel();
    await ctx.client.call("ir.model", "write", { ids: [row.id], vals: { name: "Changed by hand" } });
    const refresh = await ctx.engine.refresh();
    assert.deepEqual(ops(refresh), ["refresh book [name]"]);
    assert.deepEqual(ops(await ctx.engine.preview()), ["update book [name]"]);
    assertClean(await ctx.engine.up());
    assert.equal((await readModel()).name, "Engine Book");
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("label, description, order and access update in place", async () => {
    ctx.engine.setConfig("test:label", "Library Book");
    ctx.engine.setConfig("test:description", "Books we lend");
    ctx.engine.setConfig("test:order", "x_name asc");
    ctx.engine.setConfig(
      "test:access",
      JSON.stringify([
        { group: "base.group_user", read: true },
        { group: "base.group_system", read: true, write: true, create: true, unlink: true },
      ]),
    );
    const before = await readModel();
    assert.deepEqual(ops(await ctx.engine.preview()), ["update book [access,description,name,order]"]);
    assertClean(await ctx.engine.up());
    assert.deepEqual(await readModel(), { id: before.id, name: "Library Book", order: "x_name asc", transient: false, info: "Books we lend" });
    const rules = await ctx.client.call<Record<string, unknown>[]>("ir.model.access", "search_read", {
      domain: [["model_id", "=", before.id]],
      fields: ["group_id", "perm_read", "perm_write", "perm_create", "perm_unlink"],
      order: "id",
    });
    assert.deepEqual(
      rules.map((r) => [(r.group_id as [number, string])[1], r.perm_read, r.perm_write, r.perm_create, r.perm_unlink]),
      [
        ["User", true, false, false, false],
        ["Settings", true, true, true, true],
      ],
    );
    // The rule added after the model was written once, so its group's creates work at once.
    assert.equal((await ctx.client.call<number[]>("x_engine_book", "create", { vals_list: [{ x_name: "second" }] })).length, 1);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("destroy refuses a model that holds records, and keeps it in the state", async () => {
    const result = await ctx.engine.destroy();
    assert.deepEqual(result.errors, [
      "book: model 'x_engine_book' still holds 2 records, which deleting it would destroy: set forceDestroy: true and apply it first if that is what you want",
    ]);
    assert.equal(ctx.engine.state.size, 1);
    assert.notEqual(await readModel(), undefined);
  });

  test("forceDestroy is applied as an update that writes nothing to Odoo", async () => {
    ctx.engine.setConfig("test:forceDestroy", "true");
    assert.deepEqual(ops(await ctx.engine.preview()), ["update book [forceDestroy]"]);
    const from = ctx.emulator.requests.length;
    assertClean(await ctx.engine.up());
    assert.deepEqual(writesSince(ctx.emulator, from), []);
  });

  test("transient replaces the model (create the new one, then delete the old)", async () => {
    ctx.engine.setConfig("test:model", "x_engine_wizard");
    ctx.engine.setConfig("test:transient", "true");
    assert.deepEqual(ops(await ctx.engine.preview()), ["replace book [model,transient]"]);
    const result = await ctx.engine.up();
    assertClean(result);
    assert.deepEqual(ops(result), ["replace book [model,transient]", "delete book"]);
    assert.equal(await readModel("x_engine_book"), undefined);
    assert.equal((await readModel("x_engine_wizard")).transient, true);
  });

  test("a model that exists is not silently taken over; adopt: true takes it over", async () => {
    await ctx.client.call("ir.model", "create", { vals_list: [{ name: "Made by hand", model: "x_engine_adopted", state: "manual" }] });
    ctx.engine.setConfig("test:model", "x_engine_adopted");
    ctx.engine.setConfig("test:transient", "false");
    // Found at preview, by check, before anything is sent.
    const from = ctx.emulator.requests.length;
    const refused = await ctx.engine.preview();
    assert.match(
      refused.errors[0],
      /^book: model: model 'x_engine_adopted' already exists in Odoo \(ir\.model id \d+\): set adopt: true to take it over, or choose another name$/,
    );
    assert.deepEqual(writesSince(ctx.emulator, from), []);
    ctx.engine.setConfig("test:adopt", "true");
    assertClean(await ctx.engine.up());
    assert.equal((await readModel("x_engine_adopted")).name, "Library Book");
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("bad input fails at preview, naming the property, and nothing is sent that changes the server", async () => {
    ctx.engine.setConfig("test:model", "library_book");
    ctx.engine.setConfig("test:order", "name; drop table");
    ctx.engine.setConfig("test:extra", JSON.stringify({ forcedestroy: true }));
    const from = ctx.emulator.requests.length;
    const result = await ctx.engine.preview();
    assert.deepEqual(result.steps[0].failures, [
      {
        property: "forcedestroy",
        reason:
          "unknown property 'forcedestroy': did you mean 'forceDestroy'? Valid properties: model, name, description, order, transient, access, forceDestroy, adopt, connection.",
      },
      { property: "model", reason: "must start with 'x_' (Odoo's rule for custom models), e.g. 'x_library_book'" },
      { property: "order", reason: "must be field names with optional asc/desc, comma-separated, e.g. 'x_name asc, id desc'" },
    ]);
    assert.deepEqual(writesSince(ctx.emulator, from), []);
    ctx.engine.setConfig("test:model", "x_engine_adopted");
    ctx.engine.setConfig("test:order", "x_name asc");
    ctx.engine.setConfig("test:extra", "{}");
  });

  test("an order on fields the model does not have yet fails at preview, for a new model and for one in Odoo", async () => {
    const from = ctx.emulator.requests.length;
    const refusal = (model: string) =>
      `names 'x_year', which ${model} does not have yet: Odoo orders only by fields the model has, and the model is written before its CustomFields are made; apply the fields first (order by 'id' or 'x_name' meanwhile), then set the order`;
    ctx.engine.setConfig("test:order", "x_year desc, x_name");
    assert.deepEqual((await ctx.engine.preview()).steps[0].failures, [{ property: "order", reason: refusal("x_engine_adopted") }]);
    ctx.engine.setConfig("test:model", "x_engine_new");
    assert.deepEqual((await ctx.engine.preview()).steps[0].failures, [{ property: "order", reason: refusal("x_engine_new") }]);
    assert.deepEqual(writesSince(ctx.emulator, from), []);
    ctx.engine.setConfig("test:model", "x_engine_adopted");
    ctx.engine.setConfig("test:order", "x_name asc");
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("an explicit connection to the same server is an update (not a replacement), and its key a secret", async () => {
    const url = ctx.emulator.url;
    ctx.engine.setConfig("test:extra", JSON.stringify({ connection: { url, database: "odoo", apiKey: ctx.apiKey } }));
    assert.deepEqual(ops(await ctx.engine.preview()), ["update book [connection]"]);
    const from = ctx.emulator.requests.length;
    assertClean(await ctx.engine.up());
    assert.deepEqual(writesSince(ctx.emulator, from), []);
    const [resource] = ctx.engine.state.values();
    assert.ok(resource.secretOutputs.includes("connection"));
    assert.ok(!ctx.engine.checkpoint().includes(ctx.apiKey));
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    ctx.engine.setConfig("test:extra", JSON.stringify({ connection: { url, database: "elsewhere", apiKey: ctx.emulator.apiKey("elsewhere") } }));
    assert.deepEqual(ops(await ctx.engine.preview()), ["replace book [connection]"]);
    ctx.engine.setConfig("test:extra", JSON.stringify({ connection: { url, database: "odoo", apiKey: ctx.apiKey } }));
  });

  test("no secret in the state, the serialized provider or the logs", async () => {
    const checkpoint = ctx.engine.checkpoint();
    assert.ok(!checkpoint.includes(ctx.apiKey), "API key in the checkpoint");
    const [resource] = ctx.engine.state.values();
    const provider = String(resource.outputs.__provider);
    assert.ok(provider.length < 4000, `serialized provider is ${provider.length} bytes`);
    assert.ok(!provider.includes(ctx.apiKey));
    assert.ok(!ctx.engine.logs.join("").includes(ctx.apiKey), "API key in the logs");
  });

  test("destroy deletes the model", async () => {
    const result = await ctx.engine.destroy();
    assertClean(result);
    assert.equal(ctx.engine.state.size, 0);
    assert.equal(await readModel("x_engine_adopted"), undefined);
  });
});
