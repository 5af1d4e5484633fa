import assert from "node:assert/strict";
import { test } from "node:test";
import { assertClean, assertNoRestart, assertSteady, census, ops, previewRefused, previewWritingNothing, secretsIn } from "../acceptance/harness";
import { CliEngine } from "../cli/cli-engine";
import { SECRET, SIG } from "../engine/engine";
import { describeScenario, useTarget } from "./target";

// CustomModel's life cycle, on the emulator or a real Odoo (ODOO_ACC=1): preview writing nothing, up,
// an empty second preview, drift found and put back, updates in place, the delete guard, a
// replacement, adoption, bad input refused at preview, the connection, and a destroy that leaves the
// server as it was.

describeScenario("CustomModel", (version) => {
  const ctx = useTarget("custom-model", version, { databases: ["odoo", "elsewhere"] });
  const readModel = async (model = "x_engine_book") =>
    (
      await ctx.client.call<Record<string, unknown>[]>("ir.model", "search_read", {
        domain: [["model", "=", model]],
        fields: ["name", "order", "transient", "info"],
      })
    )[0];
  let before: Record<string, number>;

  test("preview shows a create and sends nothing that changes the server", async () => {
    before = await census(ctx.client);
    assert.deepEqual(ops(await previewWritingNothing(ctx)), ["create book"]);
    assert.equal(await readModel(), undefined);
  });

  test("up creates the model with its access rules in one call; records can be created at once", async () => {
    const from = ctx.proxy.calls.length;
    const result = await ctx.engine.up();
    assertClean(result);
    assert.deepEqual(ctx.proxy.writesSince(from), ["ir.model/create"]);
    const row = await readModel();
    assert.deepEqual(result.outputs, { modelId: row.id, model: "x_engine_book" });
    // Without a description, Odoo stores its Model class's docstring as the info: not compared.
    assert.deepEqual({ ...row, info: undefined }, { id: row.id, name: "Engine Book", order: "id", transient: false, info: undefined });
    assert.equal((await ctx.client.call<number[]>("x_engine_book", "create", { vals_list: [{ x_name: "first" }] })).length, 1);
  });

  test("a second preview shows no change, and refresh no drift", async () => {
    await assertSteady(ctx.engine);
  });

  test("a label changed in Odoo is found by refresh and put back by up", async () => {
    const row = await readModel();
    await ctx.client.call("ir.model", "write", { ids: [row.id], vals: { name: "Changed by hand" } });
    assert.deepEqual(ops(await ctx.engine.refresh()), ["refresh book [name]"]);
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
    const previous = await readModel();
    assert.deepEqual(ops(await ctx.engine.preview()), ["update book [access,description,name,order]"]);
    assertClean(await ctx.engine.up());
    assert.deepEqual(await readModel(), { id: previous.id, name: "Library Book", order: "x_name asc", transient: false, info: "Books we lend" });
    const rules = await ctx.client.call<Record<string, unknown>[]>("ir.model.access", "search_read", {
      domain: [["model_id", "=", previous.id]],
      fields: ["perm_read", "perm_write", "perm_create", "perm_unlink"],
      order: "id",
    });
    assert.deepEqual(
      rules.map((r) => [r.perm_read, r.perm_write, r.perm_create, r.perm_unlink]),
      [
        [true, false, false, false],
        [true, true, true, true],
      ],
    );
    // The rule added after the model was written once more, so creating records works at once.
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
    const from = ctx.proxy.calls.length;
    assertClean(await ctx.engine.up());
    assert.deepEqual(ctx.proxy.writesSince(from), []);
  });

  test("transient replaces the model: the new one is created, the old one deleted", async () => {
    ctx.engine.setConfig("test:model", "x_engine_wizard");
    ctx.engine.setConfig("test:transient", "true");
    assert.deepEqual(ops(await ctx.engine.preview()), ["replace book [model,transient]"]);
    const result = await ctx.engine.up();
    assertClean(result);
    assert.deepEqual(ops(result), ["delete book", "replace book [model,transient]"]);
    assert.equal(await readModel("x_engine_book"), undefined);
    assert.equal((await readModel("x_engine_wizard")).transient, true);
    await assertSteady(ctx.engine);
  });

  test("a model that exists is not silently taken over; adopt: true takes it over", async () => {
    await ctx.client.call("ir.model", "create", { vals_list: [{ name: "Made by hand", model: "x_engine_adopted", state: "manual" }] });
    const { id } = await readModel("x_engine_adopted");
    ctx.engine.setConfig("test:model", "x_engine_adopted");
    ctx.engine.setConfig("test:transient", "false");
    // Found at preview, by check, before anything is sent.
    await previewRefused(ctx, [
      `book: model: model 'x_engine_adopted' already exists in Odoo (ir.model id ${id}): set adopt: true to take it over, or choose another name`,
    ]);
    ctx.engine.setConfig("test:adopt", "true");
    assertClean(await ctx.engine.up());
    assert.equal((await readModel("x_engine_adopted")).name, "Library Book");
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("bad input fails at preview, naming each property, and nothing is sent that changes the server", async () => {
    ctx.engine.setConfig("test:model", "library_book");
    ctx.engine.setConfig("test:order", "name; drop table");
    ctx.engine.setConfig("test:extra", JSON.stringify({ forcedestroy: true }));
    const from = ctx.proxy.calls.length;
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
    assert.deepEqual(ctx.proxy.writesSince(from), []);
    ctx.engine.setConfig("test:model", "x_engine_adopted");
    ctx.engine.setConfig("test:order", "x_name asc");
    ctx.engine.setConfig("test:extra", "{}");
  });

  test("an order on fields the model does not have yet fails at preview, for a new model and for one in Odoo", async () => {
    const from = ctx.proxy.calls.length;
    const refusal = (model: string) =>
      `names 'x_year', which ${model} does not have yet: Odoo orders only by fields the model has, and the model is written before its CustomFields are made; apply the fields first (order by 'id' or 'x_name' meanwhile), then set the order`;
    ctx.engine.setConfig("test:order", "x_year desc, x_name");
    assert.deepEqual((await ctx.engine.preview()).steps[0].failures, [{ property: "order", reason: refusal("x_engine_adopted") }]);
    ctx.engine.setConfig("test:model", "x_engine_new");
    assert.deepEqual((await ctx.engine.preview()).steps[0].failures, [{ property: "order", reason: refusal("x_engine_new") }]);
    assert.deepEqual(ctx.proxy.writesSince(from), []);
    ctx.engine.setConfig("test:model", "x_engine_adopted");
    ctx.engine.setConfig("test:order", "x_name asc");
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("an explicit connection to the same server is an update (not a replacement), and its key a secret", async () => {
    const connection = { url: ctx.url, database: ctx.database, apiKey: ctx.apiKey };
    // Secret config, as a program's key would be: plain config is copied into the state by the engine.
    ctx.engine.setConfig("test:extra", JSON.stringify({ connection }), true);
    assert.deepEqual(ops(await ctx.engine.preview()), ["update book [connection]"]);
    const from = ctx.proxy.calls.length;
    assertClean(await ctx.engine.up());
    assert.deepEqual(ctx.proxy.writesSince(from), []);
    const [resource] = ctx.engine.state.values();
    assert.ok(resource.secretOutputs.includes("connection"));
    assert.ok(!ctx.engine.checkpoint().includes(ctx.apiKey));
    if (ctx.engine instanceof CliEngine) {
      // The real engine keeps the key alone secret, so a diff and the state show which server and
      // database the resource targets (our driver, more cautious, encrypts the whole property).
      const exported = JSON.parse(ctx.engine.checkpoint()) as { deployment: { resources: { urn: string; outputs: Record<string, any> }[] } };
      const { connection: stored } = exported.deployment.resources.find((r) => r.urn.endsWith("::book"))!.outputs;
      assert.deepEqual({ ...stored, apiKey: typeof stored.apiKey.ciphertext }, { url: ctx.url, database: ctx.database, apiKey: "string" });
      assert.equal(stored.apiKey[SIG], SECRET);
    }
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    if (ctx.emulator) {
      // Another database of the same server (the emulator has two; a real one in CI has one).
      const elsewhere = { url: ctx.url, database: "elsewhere", apiKey: ctx.emulator.apiKey("elsewhere") };
      ctx.engine.setConfig("test:extra", JSON.stringify({ connection: elsewhere }), true);
      assert.deepEqual(ops(await ctx.engine.preview()), ["replace book [connection]"]);
      ctx.engine.setConfig("test:extra", JSON.stringify({ connection }), true);
    }
  });

  test("no secret in the state, the serialized provider or the logs", async () => {
    const [resource] = ctx.engine.state.values();
    const provider = String(resource.outputs.__provider);
    assert.ok(provider.length < 4000, `serialized provider is ${provider.length} bytes`);
    assert.ok(!provider.includes(ctx.apiKey));
    assert.deepEqual(secretsIn(ctx, [ctx.apiKey, ctx.real?.masterPassword ?? ""]), []);
  });

  test("destroy deletes the model and leaves the server as it was; the server never restarted", async () => {
    assertClean(await ctx.engine.destroy());
    assert.equal(ctx.engine.state.size, 0);
    assert.equal(await readModel("x_engine_adopted"), undefined);
    assert.deepEqual(await census(ctx.client), before);
    assertNoRestart(ctx.real);
  });
});
