import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { recordProvider } from "../../provider/resources/record";
import { useEmulator } from "../helpers";

// Records of the web client's models: a view whose arch Odoo re-serializes, a window action, and a
// menu whose action is a reference field ("model,id"); judged at preview, steady after apply.

describe("Records of views, window actions and menus", () => {
  const ctx = useEmulator();
  const connection = () => ({ url: ctx.url, apiKey: ctx.emulator.apiKey(), database: "odoo" });
  const check = (model: string, values: Record<string, unknown>) => recordProvider.check({}, { model, values, connection: connection() });

  test("check says what Odoo would refuse in a view, a menu and a reference, in one sentence each", async () => {
    const failures = async (model: string, values: Record<string, unknown>) => (await check(model, values)).failures;
    assert.deepEqual(await failures("ir.ui.view", { model: "res.partner", arch: "<list>\n  <field name='name'>\n</list>" }), [
      { property: "values.arch", reason: "is not well-formed XML: <field> is closed by </list> (line 3)" },
    ]);
    assert.deepEqual(await failures("ir.ui.view", { model: "res.partner", arch: "<list><field name='nme'/><field name='email'/></list>" }), [
      { property: "values.arch", reason: "shows field 'nme', which res.partner does not have: did you mean 'name'?" },
    ]);
    assert.deepEqual(await failures("ir.ui.menu", { name: "Books", parent_id: 99999 }), [
      {
        property: "values.parent_id",
        reason: `there is no menu with id 99999: give an existing menu's id, odoo.ref("module.menu_name"), or another Record's recordId`,
      },
    ]);
    assert.deepEqual(await failures("ir.ui.menu", { name: "Books", action: "res.partner,3" }), [
      {
        property: "values.action",
        reason:
          "'res.partner' is not a model this reference accepts: one of 'ir.actions.report', 'ir.actions.act_window', 'ir.actions.act_url', 'ir.actions.server', 'ir.actions.client'",
      },
    ]);
    assert.deepEqual(await failures("ir.ui.menu", { name: "Books", action: 12 }), [
      {
        property: "values.action",
        reason: 'must be "model,id", such as "ir.actions.report,7" (a reference field; pulumi.interpolate builds it from a Record\'s recordId), or false',
      },
    ]);
    // A custom field the program makes is not in Odoo yet at preview: not flagged.
    assert.deepEqual(
      await failures("ir.ui.view", { model: "res.partner", arch: "<form><sheet><field name='name'/><field name='x_isbn'/></sheet></form>" }),
      [],
    );
  });

  test("a view, its action and a menu apply, read back as declared though Odoo re-serialized the arch", async () => {
    const arch = "<?xml version='1.0'?>\n<list string='Tags'>\n  <field name='name' />\n  <field name='color'/>\n</list>";
    const view = await recordProvider.create((await check("ir.ui.view", { name: "Tags list", model: "res.partner.category", arch })).inputs);
    const [stored] = await ctx.client.call<{ arch: string; type: string }[]>("ir.ui.view", "read", { ids: [Number(view.id)], fields: ["arch", "type"] });
    assert.deepEqual(stored, { id: Number(view.id), arch: '<list string="Tags">\n  <field name="name"/>\n  <field name="color"/>\n</list>', type: "list" });
    assert.equal(view.outs.values.arch, arch);
    const action = await recordProvider.create(
      (await check("ir.actions.act_window", { name: "Tags", res_model: "res.partner.category", view_mode: "list,form", view_id: Number(view.id) })).inputs,
    );
    const menuInputs = (await check("ir.ui.menu", { name: "Tags", parent_id: { __odooRef: "base.menu_custom" }, action: `ir.actions.act_window,${action.id}` }))
      .inputs;
    const menu = await recordProvider.create(menuInputs);
    const [row] = await ctx.client.call<{ action: string; parent_id: number }[]>("ir.ui.menu", "read", {
      ids: [Number(menu.id)],
      fields: ["action", "parent_id"],
      load: null,
    });
    assert.equal(row.action, `ir.actions.act_window,${action.id}`);
    // Refresh reports what was declared, and diff sees nothing to do.
    for (const [created, inputs] of [
      [view, view.outs],
      [menu, menuInputs],
    ] as const) {
      const read = await recordProvider.read!(created.id, created.outs);
      assert.deepEqual(read.props!.values, created.outs.values);
      assert.equal((await recordProvider.diff!(created.id, read.props, inputs)).changes, false);
    }
    for (const created of [menu, action, view]) await recordProvider.delete!(created.id, created.outs);
    assert.equal(await ctx.client.call("ir.ui.menu", "search_count", { domain: [["name", "=", "Tags"]] }), 0);
  });
});
