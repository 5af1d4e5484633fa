import assert from "node:assert/strict";
import { test } from "node:test";
import { assertClean, assertSteady, describeReal, ops, previewRefused, previewWritingNothing, programs, useRealEngine } from "./harness";
import { ALL_MENUS, idOf } from "../helpers";

// Records of the web client's models on a real Odoo: a list and a form view (Odoo re-serializes
// their arch), a window action, and a menu whose action is a reference field ("model,id").

describeReal("acceptance: Records of views, a window action and a menu", (target) => {
  const ctx = useRealEngine(target, programs("ui"));
  let outputs: Record<string, number>;
  const read = async (model: string, id: number, fields: string[]) =>
    (await ctx.client.call<Record<string, any>[]>(model, "read", { ids: [id], fields, load: null }))[0];

  test("an arch that is not XML fails at preview, naming it, and nothing is sent that changes the server", async () => {
    ctx.engine.setConfig("test:badArch", "true");
    await previewRefused(ctx, ["list: values.arch: is not well-formed XML: <field> is closed by </list> (line 1)"]);
    ctx.engine.setConfig("test:badArch", "false");
    await previewWritingNothing(ctx);
  });

  test("up makes the views, the action and the menu; the menu's action names the action", async () => {
    const result = await ctx.engine.up();
    assertClean(result);
    outputs = result.outputs as Record<string, number>;
    const { menuId, actionId, listId } = outputs;
    const menu = await read("ir.ui.menu", menuId, ["name", "action", "parent_id"]);
    const technical = await idOf(ctx.client, "base.menu_custom");
    assert.deepEqual([menu.name, menu.action, menu.parent_id], ["Acceptance tags", `ir.actions.act_window,${actionId}`, technical]);
    const action = await read("ir.actions.act_window", actionId, ["res_model", "view_mode", "view_id"]);
    // Odoo 17 calls the list view "tree" (18 renamed it): the provider sends it so there.
    const listType = ctx.version >= 18 ? "list" : "tree";
    assert.deepEqual([action.res_model, action.view_mode, action.view_id], ["res.partner.category", `${listType},form`, listId]);
    const list = await read("ir.ui.view", listId, ["type", "model", "arch"]);
    assert.deepEqual([list.type, list.model], [listType, "res.partner.category"]);
    assert.match(list.arch, /<field name="name"\/>/);
  });

  test("a second preview shows no change, though Odoo re-serialized the arch, and refresh no drift", async () => {
    await assertSteady(ctx.engine);
  });

  test("a field added to the list is an update in place, and steady after", async () => {
    ctx.engine.setConfig("test:listFields", "name,color");
    assert.deepEqual(
      ops(await ctx.engine.preview()).filter((op) => !op.startsWith("same")),
      ["update list [values]"],
    );
    const result = await ctx.engine.up();
    assertClean(result);
    assert.match((await read("ir.ui.view", outputs.listId, ["arch"])).arch, /<field name="color"\/>/);
    await assertSteady(ctx.engine);
  });

  test("destroy removes the menu, the action and the views", async () => {
    assertClean(await ctx.engine.destroy());
    assert.deepEqual(await ctx.client.call("ir.ui.menu", "search", { domain: [["id", "=", outputs.menuId]], context: ALL_MENUS }), []);
    assert.deepEqual(await ctx.client.call("ir.actions.act_window", "search", { domain: [["id", "=", outputs.actionId]] }), []);
    assert.equal(await ctx.client.call("ir.ui.view", "search_count", { domain: [["name", "in", ["acc.tags.list", "acc.tags.form"]]] }), 0);
  });
});
