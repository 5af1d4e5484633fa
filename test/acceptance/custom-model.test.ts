import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import {
  assertClean,
  assertSteady,
  previewRefused,
  previewWritingNothing,
  assertNoRestart,
  census,
  describeReal,
  ops,
  secretsIn,
  useRealEngine,
} from "./harness";

// CustomModel on a real Odoo, through the engine path: preview, up, an empty second preview,
// refresh, drift put back, an update, a replacement, the delete guard and a clean destroy.

describeReal("acceptance: CustomModel on a real Odoo", (target) => {
  const ctx = useRealEngine(target, path.join(__dirname, "../engine/programs/custom-model"));
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

  test("transient replaces the model: the new one is created, the old one deleted", async () => {
    ctx.engine.setConfig("test:forceDestroy", "true");
    assertClean(await ctx.engine.up());
    ctx.engine.setConfig("test:model", "x_engine_wizard");
    ctx.engine.setConfig("test:transient", "true");
    assert.deepEqual(ops(await ctx.engine.preview()), ["replace book [model,transient]"]);
    const result = await ctx.engine.up();
    assertClean(result);
    assert.deepEqual(ops(result), ["delete book", "replace book [model,transient]"]);
    assert.equal(await readModel("x_engine_book"), undefined);
    assert.equal((await readModel("x_engine_wizard")).transient, true);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("bad input fails at preview naming the property, and nothing is sent that changes the server", async () => {
    ctx.engine.setConfig("test:model", "library_book");
    await previewRefused(ctx, ["book: model: must start with 'x_' (Odoo's rule for custom models), e.g. 'x_library_book'"]);
    ctx.engine.setConfig("test:model", "x_engine_wizard");
  });

  test("destroy leaves nothing behind, no secret is anywhere, and the server never restarted", async () => {
    assertClean(await ctx.engine.destroy());
    assert.equal(ctx.engine.state.size, 0);
    assert.deepEqual(await census(ctx.client), before);
    assert.deepEqual(secretsIn(ctx, [target.apiKey, target.masterPassword ?? ""]), []);
    assertNoRestart(target);
  });
});
