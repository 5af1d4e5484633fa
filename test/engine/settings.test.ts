import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cancelAdvice, cancelPendingUpgrade } from "../helpers";
import { assertClean, ops, useEngine, writesSince } from "./harness";

// The Settings form through the real provider host, on the emulator of an Odoo 19: checks at preview
// (unknown keys with the closest name, wrong types, computed fields), the form applied, drift of the
// declared keys only, a company's own settings, pending module operations refused, destroy leaving
// them. Module and Settings together, on any target: test/scenarios/module.test.ts.

describe("Settings, engine level", () => {
  const ctx = useEngine("apps");
  const setSettings = (values: Record<string, unknown>) => ctx.engine.setConfig("test:settings", JSON.stringify(values));
  const current = () =>
    ctx.client.call<Record<string, unknown>>("res.config.settings", "default_get", { fields: ["group_multi_currency", "show_effect", "web_app_name"] });

  test("preview refuses an unknown key (with the closest name), a wrong type and a computed field, and writes nothing", async () => {
    const from = ctx.emulator.requests.length;
    setSettings({ group_multi_curency: true, show_effect: "yes", company_count: 2, module_web_unsplsh: true });
    const logs = ctx.engine.logs.length;
    const result = await ctx.engine.preview();
    assert.deepEqual(result.steps[0].failures, [
      { property: "values.company_count", reason: "is read-only: Odoo computes it (Number of Companies)" },
      {
        property: "values.group_multi_curency",
        reason: "'group_multi_curency' is not a setting of res.config.settings (the Settings form): did you mean 'group_multi_currency'?",
      },
      {
        property: "values.module_web_unsplsh",
        reason: "'module_web_unsplsh' is not a setting of res.config.settings (the Settings form): did you mean 'module_web_unsplash'?",
      },
      { property: "values.show_effect", reason: "must be true or false (a boolean field)" },
    ]);
    // A key Odoo does not have installs nothing: no warning that it would.
    assert.doesNotMatch(ctx.engine.logs.slice(logs).join(""), /installs module/);
    assert.deepEqual(writesSince(ctx.emulator, from), []);
  });

  test("up applies them as the form does; nothing changes after; a module_* key is warned about", async () => {
    setSettings({ group_multi_currency: true, show_effect: false, web_app_name: "Pulumi App", report_footer: "<p>Pulumi</p>", module_web_unsplash: true });
    const logs = ctx.engine.logs.length;
    assertClean(await ctx.engine.up());
    assert.match(
      ctx.engine.logs.slice(logs).join(""),
      /warning: values.module_web_unsplash installs module 'web_unsplash' when the settings are applied: prefer an odoo.Module resource/,
    );
    assert.deepEqual(await current(), { group_multi_currency: true, show_effect: false, web_app_name: "Pulumi App" });
    const [company] = await ctx.client.call<{ report_footer: string }[]>("res.company", "read", { ids: [1], fields: ["report_footer"] });
    assert.equal(company.report_footer, "<p>Pulumi</p>");
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    assert.deepEqual((await ctx.engine.refresh()).changes, []);
  });

  test("a change made in Odoo shows at refresh for the declared keys only, and up puts it back", async () => {
    const [id] = await ctx.client.call<number[]>("res.config.settings", "create", { vals_list: [{ show_effect: true, group_multi_currency: true }] });
    await ctx.client.call("res.config.settings", "execute", { ids: [id] });
    assert.deepEqual(ops(await ctx.engine.refresh()), ["refresh settings [values]"]);
    assert.deepEqual(ops(await ctx.engine.preview()), ["update settings [values]"]);
    assertClean(await ctx.engine.up());
    assert.deepEqual(await current(), { group_multi_currency: true, show_effect: false, web_app_name: "Pulumi App" });
  });

  test("with a company, the company's own settings are applied to it", async () => {
    ctx.engine.setConfig("test:company", "base.main_company");
    setSettings({
      group_multi_currency: true,
      show_effect: false,
      web_app_name: "Pulumi App",
      report_footer: "<p>Main company</p>",
      module_web_unsplash: true,
    });
    assert.deepEqual(ops(await ctx.engine.preview()), ["update settings [company,values]"]);
    assertClean(await ctx.engine.up());
    const [company] = await ctx.client.call<{ report_footer: string }[]>("res.company", "read", { ids: [1], fields: ["report_footer"] });
    assert.equal(company.report_footer, "<p>Main company</p>");
    assert.equal([...ctx.engine.state.values()].find((r) => r.name === "settings")?.outputs.companyId, 1);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("settings that install modules are refused while modules are left pending, naming them", async () => {
    const [unsplash] = await ctx.client.call<{ id: number }[]>("ir.module.module", "search_read", { domain: [["name", "=", "web_unsplash"]], fields: ["id"] });
    await ctx.client.call("ir.module.module", "button_upgrade", { ids: [unsplash.id] });
    setSettings({ group_multi_currency: true, show_effect: true, web_app_name: "Pulumi App", report_footer: "<p>Main company</p>", module_web_unsplash: true });
    const result = await ctx.engine.up();
    assert.deepEqual(result.errors, [
      `settings: cannot apply settings that install modules: Odoo has module operations left pending: web_unsplash (to upgrade), which Odoo 17 would carry out along with it and Odoo 19 refuses to run beside; ${cancelAdvice(19)}, then run pulumi up again`,
    ]);
    assert.deepEqual(await current(), { group_multi_currency: true, show_effect: false, web_app_name: "Pulumi App" });
    await cancelPendingUpgrade(ctx.client, 19, unsplash.id);
    setSettings({
      group_multi_currency: true,
      show_effect: false,
      web_app_name: "Pulumi App",
      report_footer: "<p>Main company</p>",
      module_web_unsplash: true,
    });
  });

  test("destroy leaves the settings as they are, and says so", async () => {
    const logs = ctx.engine.logs.length;
    assertClean(await ctx.engine.destroy());
    assert.match(
      ctx.engine.logs.slice(logs).join(""),
      /settings group_multi_currency, module_web_unsplash, report_footer, show_effect, web_app_name stay as they are: destroy does not reset Odoo's settings/,
    );
    assert.deepEqual(await current(), { group_multi_currency: true, show_effect: false, web_app_name: "Pulumi App" });
  });

  test("made anew where Odoo holds every value already, it saves nothing (saving writes the whole form)", async () => {
    const from = ctx.emulator.requests.length;
    const logs = ctx.engine.logs.length;
    const up = await ctx.engine.up();
    assertClean(up);
    assert.deepEqual(ops(up), ["create settings"]);
    assert.deepEqual(writesSince(ctx.emulator, from), []);
    assert.match(ctx.engine.logs.slice(logs).join(""), /already hold the declared values: nothing saved/);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });
});
