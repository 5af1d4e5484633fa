import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { holdCronLock, holdCronLockForNext } from "../emulator/apps";
import { findModule, runModuleOperation } from "../../provider/client/modules";
import { cancelAdvice, cancelPendingUpgrade, moduleStatesOf } from "../helpers";
import { assertClean, ops, useEngine, writesSince } from "./harness";

// Module and Settings through the real provider host, on the emulator of an Odoo 19 (and 17):
// checks at preview, installs with dependencies, upgrades, pending operations refused, a busy
// cron table waited out, uninstalls behind the flag, drift, and the Settings form.

for (const version of [19, 17] as const) {
  describe(`Module, engine level, Odoo ${version}`, () => {
    const ctx = useEngine("apps", { version });
    const setModules = (modules: Record<string, unknown>) => ctx.engine.setConfig("test:modules", JSON.stringify(modules));

    test("preview refuses a bad name, an unknown module (with the closest name) and an uninstallable one, and writes nothing", async () => {
      const from = ctx.emulator.requests.length;
      const hint = " A module added to the server's addons since the list was last updated appears with updateList: true.";
      // One preview each: the engine stops a preview at the first failed check.
      const cases: [name: string, reason: string][] = [
        ["Sale Management", "must be a module's technical name: lowercase letters, digits and underscores, e.g. 'sale_management'"],
        ["contact", `no module 'contact' in the database's Apps list: did you mean 'contacts'?${hint}`],
        // Nothing close by spelling: the names that hold it; nothing at all: the sentence ends there.
        ["unsplash", `no module 'unsplash' in the database's Apps list: did you mean 'web_unsplash'?${hint}`],
        ["inventory", `no module 'inventory' in the database's Apps list.${hint}`],
        [
          "accountant",
          "module 'accountant' cannot be installed on this server (Odoo marks it uninstallable: its files are missing or not installable for this version)",
        ],
      ];
      for (const [name, reason] of cases) {
        setModules({ [name]: {} });
        assert.deepEqual((await ctx.engine.preview()).steps[0].failures, [{ property: "name", reason }], name);
      }
      assert.deepEqual(writesSince(ctx.emulator, from), []);
    });

    test("up installs a module with its dependencies and a record of a model it brings; nothing changes after", async () => {
      setModules({ contacts: {}, uom: {} });
      ctx.engine.setConfig("test:unit", "true");
      const result = await ctx.engine.up();
      assertClean(result);
      const v = `${version}.0`;
      assert.deepEqual(result.outputs.installed, [
        ["contacts", "installed", ["mail"], ["base", "bus", "mail", "web"], false, `${v}.1.0`],
        ["uom", "installed", [], ["base"], false, `${v}.1.0`],
      ]);
      assert.deepEqual(await moduleStatesOf(ctx.client, ["contacts", "mail", "uom"]), ["contacts installed", "mail installed", "uom installed"]);
      assert.deepEqual((await ctx.engine.preview()).changes, []);
      assert.deepEqual((await ctx.engine.refresh()).changes, []);
    });

    test("changing upgradeOn upgrades the module in place", async () => {
      setModules({ contacts: { upgradeOn: "2026-11-24" }, uom: {} });
      assert.deepEqual(
        ops(await ctx.engine.preview()).filter((op) => !op.startsWith("same")),
        ["update contacts [upgradeOn]"],
      );
      assertClean(await ctx.engine.up());
      assert.deepEqual(ctx.emulator.databases.get("odoo")!.orm.apps!.upgraded, ["contacts"]);
      assert.deepEqual((await ctx.engine.preview()).changes, []);
    });

    test("modules left pending by someone else are refused by name, on 17 as on 19, and nothing is carried out", async () => {
      const [uom] = await ctx.client.call<{ id: number }[]>("ir.module.module", "search_read", { domain: [["name", "=", "uom"]], fields: ["id"] });
      await ctx.client.call("ir.module.module", "button_upgrade", { ids: [uom.id] });
      setModules({ contacts: { upgradeOn: "2026-11-25" }, uom: {} });
      const result = await ctx.engine.up();
      assert.deepEqual(result.errors, [
        `contacts: cannot upgrade module 'contacts': Odoo has module operations left pending: uom (to upgrade), which Odoo 17 would carry out along with it and Odoo 19 refuses to run beside; ${cancelAdvice(version)}, then run pulumi up again`,
      ]);
      assert.deepEqual(await moduleStatesOf(ctx.client, ["uom"]), ["uom to upgrade"]);
      await cancelPendingUpgrade(ctx.client, version, uom.id);
      assertClean(await ctx.engine.up());
    });

    test("a scheduled action holding the cron table is waited out, and said so", async () => {
      holdCronLockForNext(ctx.emulator.databases.get("odoo")!.orm.apps!, 1);
      const logs = ctx.engine.logs.length;
      setModules({ contacts: { upgradeOn: "2026-11-26" }, uom: {} });
      assertClean(await ctx.engine.up());
      assert.match(ctx.engine.logs.slice(logs).join(""), /module 'contacts': Odoo is currently processing a scheduled action; trying again in 1 s/);
    });

    test("past busyTimeoutSeconds, the upgrade fails with one sentence and stays to do", async () => {
      holdCronLock(ctx.emulator.databases.get("odoo")!.orm.apps!, 60_000);
      setModules({ contacts: { upgradeOn: "2026-11-27", busyTimeoutSeconds: 2 }, uom: {} });
      const result = await ctx.engine.up();
      assert.deepEqual(result.errors, [
        "contacts: cannot upgrade module 'contacts': Odoo was still currently processing a scheduled action after 2 s of trying; run pulumi up again later (or raise busyTimeoutSeconds)",
      ]);
      holdCronLock(ctx.emulator.databases.get("odoo")!.orm.apps!, 0);
      assert.deepEqual(
        ops(await ctx.engine.preview()).filter((op) => !op.startsWith("same")),
        ["update contacts [busyTimeoutSeconds,upgradeOn]"],
      );
      assertClean(await ctx.engine.up());
    });

    test("a module uninstalled outside Pulumi is gone at refresh, and up installs it again", async () => {
      const [uom] = await ctx.client.call<{ id: number }[]>("ir.module.module", "search_read", { domain: [["name", "=", "uom"]], fields: ["id"] });
      ctx.engine.setConfig("test:unit", "false");
      assertClean(await ctx.engine.up());
      await ctx.client.call("ir.module.module", "button_immediate_uninstall", { ids: [uom.id] });
      assert.deepEqual(
        ops(await ctx.engine.refresh()).filter((op) => !op.startsWith("same") && !op.startsWith("refresh")),
        ["read-gone uom"],
      );
      assert.deepEqual(
        ops(await ctx.engine.preview()).filter((op) => !op.startsWith("same")),
        ["create uom"],
      );
      assertClean(await ctx.engine.up());
      assert.deepEqual(await moduleStatesOf(ctx.client, ["uom"]), ["uom installed"]);
    });

    test("destroy leaves modules installed and says so; with uninstallOnDestroy applied first it uninstalls", async () => {
      let logs = ctx.engine.logs.length;
      let result = await ctx.engine.destroy();
      assertClean(result);
      assert.match(
        ctx.engine.logs.slice(logs).join(""),
        /module 'contacts' stays installed: destroy uninstalls a module only when uninstallOnDestroy: true was applied first \(uninstalling deletes its data\)/,
      );
      assert.deepEqual(await moduleStatesOf(ctx.client, ["contacts", "uom"]), ["contacts installed", "uom installed"]);
      setModules({ mail: { uninstallOnDestroy: true }, uom: {} });
      assertClean(await ctx.engine.up());
      logs = ctx.engine.logs.length;
      result = await ctx.engine.destroy();
      assertClean(result);
      assert.match(ctx.engine.logs.slice(logs).join(""), /module 'mail': uninstalling it also uninstalls contacts, which depend on it/);
      assert.deepEqual(await moduleStatesOf(ctx.client, ["contacts", "mail", "uom"]), ["contacts uninstalled", "mail uninstalled", "uom installed"]);
      assert.equal(ctx.engine.state.size, 0);
    });

    test("a module and one that depends on it, destroyed together: both uninstalled, neither refused (seen on a real 16)", async () => {
      setModules({ mail: { uninstallOnDestroy: true }, contacts: { uninstallOnDestroy: true } });
      assertClean(await ctx.engine.up());
      assertClean(await ctx.engine.destroy());
      assert.deepEqual(await moduleStatesOf(ctx.client, ["contacts", "mail"]), ["contacts uninstalled", "mail uninstalled"]);
      // Which delete goes first is the engine's choice; the one that loses the race, exactly: contacts
      // looked at before mail's uninstall took it along, uninstalled after.
      assertClean(await ctx.engine.up());
      const contacts = (await findModule(ctx.client, "contacts"))!;
      await runModuleOperation(ctx.client, (await findModule(ctx.client, "mail"))!, "uninstall");
      assert.deepEqual(await runModuleOperation(ctx.client, contacts, "uninstall"), { ...contacts, state: "uninstalled", installedVersion: undefined });
      ctx.engine.setConfig("test:modules", "{}");
      assertClean(await ctx.engine.refresh());
    });
  });
}

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
});
