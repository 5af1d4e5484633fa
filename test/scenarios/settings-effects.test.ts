import assert from "node:assert/strict";
import { test } from "node:test";
import { assertClean, assertNoRestart, assertSteady, census, ops, previewRefused, secretsIn } from "../acceptance/harness";
import { describeScenario, useTarget } from "./target";

// Issue 28, point 1, on the emulator or a real Odoo (ODOO_ACC=1): saving the Settings form saves every field of the form, and
// product's set_values archives every price list whenever group_product_pricelist is off, declared
// or not. A Settings resource that would do that is refused (at preview, and again at apply), and
// a Record that Odoo archived is drift at refresh even when `active` is not declared.

describeScenario("a Settings save does not silently undo a price list the program declares", (version) => {
  const ctx = useTarget("apps", version);
  const set = (key: string, value: unknown) => ctx.engine.setConfig(`test:${key}`, value === undefined ? "" : JSON.stringify(value));
  const wholesale = { model: "product.pricelist", values: { name: "Acme wholesale" }, xmlId: "pulumi_acc.pricelist_wholesale" };
  const activeOfWholesale = async () =>
    (
      await ctx.client.call<{ active: boolean }[]>("product.pricelist", "search_read", {
        domain: [["name", "=", "Acme wholesale"]],
        fields: ["active"],
        context: { active_test: false },
      })
    ).map((row) => row.active);
  let before: Record<string, number>;
  let showEffect: unknown;

  test("product and a price list are made", async () => {
    before = await census(ctx.client);
    ({ show_effect: showEffect } = await ctx.client.call<Record<string, unknown>>("res.config.settings", "default_get", { fields: ["show_effect"] }));
    set("modules", { product: { uninstallOnDestroy: true } });
    set("records", { wholesale });
    assertClean(await ctx.engine.up());
    assert.deepEqual(await activeOfWholesale(), [true]);
  });

  test("Settings whose save would archive it are refused at preview, naming the setting to declare, and nothing is written", async () => {
    set("settings", { show_effect: showEffect });
    const active = await ctx.client.call<number>("product.pricelist", "search_count", { domain: [["active", "=", true]] });
    await previewRefused(ctx, [
      `settings: values: saving the Settings form also saves group_product_pricelist, which is false now and not declared: Odoo then archives every price list (${active} product.pricelist record${active === 1 ? "" : "s"} now); declare group_product_pricelist: true to keep them, or false to let Odoo do it`,
    ]);
    assert.deepEqual(await activeOfWholesale(), [true]);
  });

  test("with group_product_pricelist: true declared, the settings apply and the price list stays active", async () => {
    set("settings", { show_effect: showEffect, group_product_pricelist: true });
    assertClean(await ctx.engine.up());
    assert.deepEqual(await activeOfWholesale(), [true]);
    await assertSteady(ctx.engine);
  });

  test("archived in Odoo, the price list is drift at refresh though `active` is not declared; up makes it active again", async () => {
    const [id] = await ctx.client.call<number[]>("product.pricelist", "search", { domain: [["name", "=", "Acme wholesale"]] });
    await ctx.client.call("product.pricelist", "write", { ids: [id], vals: { active: false } });
    assert.deepEqual(
      ops(await ctx.engine.refresh()).filter((op) => op.includes("[")),
      ["refresh wholesale [values]"],
    );
    assert.deepEqual(
      ops(await ctx.engine.preview()).filter((op) => !op.startsWith("same")),
      ["update wholesale [values]"],
    );
    assertClean(await ctx.engine.up());
    assert.deepEqual(await activeOfWholesale(), [true]);
    await assertSteady(ctx.engine);
  });

  test("destroy deletes the price list and leaves product installed, saying so; nothing else of the suite is left", async () => {
    // Uninstalling what product brought (mail, sms and a dozen more) is Module's suite's business:
    // on a real 19 it leaves Odoo's own residue behind (external ids of modules still installed,
    // fields a second uninstall then trips on). This suite runs last of `all`.
    const logs = ctx.engine.logs.length;
    set("modules", { product: {} });
    assertClean(await ctx.engine.up());
    assertClean(await ctx.engine.destroy());
    assert.match(ctx.engine.logs.slice(logs).join(""), /module 'product' stays installed/);
    assert.equal(ctx.engine.state.size, 0);
    assert.deepEqual(await activeOfWholesale(), []);
    const xmlIds = await ctx.client.call<number>("ir.model.data", "search_count", {
      domain: [
        ["module", "=", "pulumi_acc"],
        ["name", "=", "pricelist_wholesale"],
      ],
    });
    assert.equal(xmlIds, 0);
    // What the program made is gone (access rules and external ids are product's, which stays).
    const { access: _access, externalIds: _externalIds, ...madeByPrograms } = before;
    const { access: _accessNow, externalIds: _externalIdsNow, ...madeNow } = await census(ctx.client);
    assert.deepEqual(madeNow, madeByPrograms);
    assert.deepEqual(secretsIn(ctx, [ctx.apiKey]), []);
    assertNoRestart(ctx.real);
  });
});
