import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { findModule, installedDependents, installedModules, moduleStates, runModuleOperation } from "../../provider/client/modules";
import type { OdooClient } from "../../provider/client/odoo-client";
import { assertClean, assertNoRestart, assertSteady, census, ops, previewWritingNothing, secretsIn } from "../acceptance/harness";
import { holdCronLock } from "../emulator/apps";
import { cancelAdvice, cancelPendingUpgrade, moduleStatesOf, moduleByHand, until } from "../helpers";
import { describeScenario, type TargetContext, targetKind, useTarget } from "./target";

// Module and Settings, on the emulator of Odoo 19 and 17 or on a real Odoo (ODOO_ACC=1), through the
// engine path with its parallelism: checks at preview, contacts (with mail) and uom installed
// together, an upgrade, a pending operation refused by name, a busy cron table waited out (and past
// the time allowed, refused), uninstalls behind the flag, the Settings form applied and drifted, and
// the server left as it was.

interface CronHold {
  locked: Promise<void>;
  release: () => void;
  /** How the holder ended: 0 when it let go cleanly. */
  done: Promise<number | null>;
}

/** Holds the cron table as a long scheduled action does, until released: the emulator's lock, or a real transaction. */
function holdCronTable(ctx: TargetContext): CronHold {
  if (ctx.emulator) {
    const apps = ctx.emulator.databases.get("odoo")!.orm.apps!;
    holdCronLock(apps, 10 * 60_000);
    let released: (code: number) => void = () => {};
    const done = new Promise<number>((resolve) => (released = resolve));
    return { locked: Promise.resolve(), release: () => (holdCronLock(apps, 0), released(0)), done };
  }
  assert.ok(ctx.real?.postgresUrl, "ODOO_POSTGRES_URL (npm run real-odoo prints it) is needed to hold the cron table");
  return holdWithTransaction(ctx.real.postgresUrl);
}

/** Holds every row of ir_cron in a transaction of its own, as a running scheduled action does, until released. */
function holdWithTransaction(postgresUrl: string): CronHold {
  const url = new URL(postgresUrl);
  const child = spawn(
    "psql",
    ["-X", "-q", "-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username), "-d", url.pathname.slice(1), "-v", "ON_ERROR_STOP=1"],
    {
      // The password travels in the environment, never on a command line.
      env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  child.stdin.write("BEGIN;\nSELECT id FROM ir_cron FOR UPDATE;\n\\echo locked\n");
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("locked") && resolve());
    child.on("exit", (code) => reject(new Error(`psql ended (${code}) before it held the cron table`)));
  });
  const done = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { locked, release: () => child.stdin.end("COMMIT;\n"), done };
}

function pick(values: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in values).map((key) => [key, values[key]]));
}

/** The main company's report footer (a setting related to the company). */
async function footer(client: OdooClient): Promise<unknown> {
  const [company] = await client.call<{ report_footer: unknown }[]>("res.company", "read", { ids: [1], fields: ["report_footer"] });
  return company.report_footer;
}

/** The settings the suite declares: web_app_name (a config parameter of text) came with 17's base_setup. */
const settingsOf = (version: number) => ["group_multi_currency", "show_effect", ...(version >= 17 ? ["web_app_name"] : [])];
/** The values the suite applies, of those settings. */
const applied = (version: number) => pick({ group_multi_currency: true, show_effect: false, web_app_name: "Pulumi ERP" }, settingsOf(version));
/** What contacts depends on, by its manifest and mail's: the same in every tree of a version (18 added html_editor to mail's). */
const contactsDependsOn = (version: number) => ["base", "base_setup", "bus", ...(version >= 18 ? ["html_editor"] : []), "mail", "web", "web_tour"];

describeScenario(
  "Module and Settings",
  (version) => {
    const ctx = useTarget("apps", version);
    const setModules = (modules: Record<string, unknown>) => ctx.engine.setConfig("test:modules", JSON.stringify(modules));
    const setSettings = (values: Record<string, unknown>) => ctx.engine.setConfig("test:settings", JSON.stringify(values));
    /** Those of `keys` the Settings form has now (a new 16 database has none of SETTINGS until base_setup is installed). */
    const settingsFields = async (keys: string[]) => {
      const known = await ctx.client.call<Record<string, unknown>>("res.config.settings", "fields_get", { attributes: ["type"] });
      return keys.filter((key) => key in known);
    };
    // default_get may answer more keys than asked (auth_totp_mail adds auth_totp_enforce): only these count.
    const settingsNow = async () => {
      const keys = await settingsFields(settingsOf(ctx.version));
      return keys.length ? pick(await ctx.client.call<Record<string, unknown>>("res.config.settings", "default_get", { fields: keys }), keys) : {};
    };
    let before: Record<string, number>;
    /** The modules installed before the suite, and those its up installed: what else is installed depends on the server's addons. */
    let installedBefore: string[];
    let installedBySuite: string[];
    let notInstalledBefore: string[];
    let settingsBefore: Record<string, unknown>;
    let footerBefore: unknown;

    test("preview refuses an unknown module with the closest name, and an uninstallable one, writing nothing", async () => {
      installedBefore = await installedModules(ctx.client);
      // External ids of modules not installed now are left out of the census, before and after: the
      // suite's uninstalls leave some of theirs behind (Odoo's doing, as a full tree shows for a dozen).
      notInstalledBefore = [...(await moduleStates(ctx.client))].filter(([, state]) => state !== "installed").map(([name]) => name);
      before = await census(ctx.client, notInstalledBefore);
      settingsBefore = await settingsNow();
      footerBefore = await footer(ctx.client);
      assert.deepEqual(await moduleStatesOf(ctx.client, ["contacts", "mail", "uom"]), ["contacts uninstalled", "mail uninstalled", "uom uninstalled"]);
      const from = ctx.proxy.calls.length;
      const hint = " A module added to the server's addons since the list was last updated appears with updateList: true.";
      // Nothing close by spelling: the names that hold the word (Odoo 16 has no web_unsplash); nothing at all: the sentence ends there.
      const unsplash = (await findModule(ctx.client, "web_unsplash")) ? ": did you mean 'web_unsplash'?" : ".";
      // One preview each: the engine stops a preview at the first resource that fails its check.
      const cases: [name: string, reason: string][] = [
        ["Sale Management", "must be a module's technical name: lowercase letters, digits and underscores, e.g. 'sale_management'"],
        ["contact", `no module 'contact' in the database's Apps list: did you mean 'contacts'?${hint}`],
        ["unsplash", `no module 'unsplash' in the database's Apps list${unsplash}${hint}`],
        ["qwxz_tool", `no module 'qwxz_tool' in the database's Apps list.${hint}`],
        [
          "web_studio",
          "module 'web_studio' cannot be installed on this server (Odoo marks it uninstallable: its files are missing or not installable for this version)",
        ],
      ];
      for (const [name, reason] of cases) {
        setModules({ [name]: {} });
        assert.deepEqual(
          (await ctx.engine.preview()).steps.flatMap((s) => s.failures ?? []),
          [{ property: "name", reason }],
          name,
        );
      }
      assert.deepEqual(ctx.proxy.writesSince(from), []);
    });

    test("up installs contacts (bringing mail) and uom side by side, with settings after them; then nothing changes", async () => {
      setModules({ contacts: {}, uom: {} });
      setSettings({ ...applied(ctx.version), report_footer: "<p>Pulumi ERP</p>" });
      ctx.engine.setConfig("test:company", "base.main_company");
      const preview = await previewWritingNothing(ctx);
      assert.deepEqual(ops(preview), ["create contacts", "create settings", "create uom"]);
      const result = await ctx.engine.up();
      assertClean(result);
      const v = `${ctx.version}.0`;
      // What contacts brings besides mail (auto-installed modules) is the server's to say: a full tree
      // installs a dozen more than a trimmed one. Together, the two claim exactly what the up installed.
      installedBySuite = (await installedModules(ctx.client)).filter((name) => !installedBefore.includes(name));
      const [contacts, uom] = result.outputs.installed as [string, string, string[], string[], boolean, string][];
      assert.ok(contacts[2].includes("mail"));
      assert.deepEqual([...contacts[2], ...uom[2], "contacts", "uom"].sort(), installedBySuite);
      assert.deepEqual(result.outputs.installed, [
        ["contacts", "installed", contacts[2], contactsDependsOn(ctx.version), false, `${v}.1.0`],
        ["uom", "installed", uom[2], ["base"], false, `${v}.1.0`],
      ]);
      assert.deepEqual(await moduleStatesOf(ctx.client, ["contacts", "mail", "uom"]), ["contacts installed", "mail installed", "uom installed"]);
      assert.deepEqual(await settingsNow(), applied(ctx.version));
      assert.equal(await footer(ctx.client), "<p>Pulumi ERP</p>");
      await assertSteady(ctx.engine);
    });

    test("changing upgradeOn upgrades the module in place", async () => {
      setModules({ contacts: { upgradeOn: "2026-11-24" }, uom: {} });
      assert.deepEqual(ops(await previewWritingNothing(ctx)), ["same settings", "same uom", "update contacts [upgradeOn]"]);
      const from = ctx.proxy.calls.length;
      assertClean(await ctx.engine.up());
      assert.deepEqual(
        ctx.proxy.calls.slice(from).filter((call) => call.includes("button_immediate")),
        ["ir.module.module/button_immediate_upgrade"],
      );
      await assertSteady(ctx.engine);
    });

    test("a module left pending by someone else is refused by name, and not carried out", async () => {
      const [uom] = await ctx.client.call<{ id: number }[]>("ir.module.module", "search_read", { domain: [["name", "=", "uom"]], fields: ["id"] });
      await ctx.client.call("ir.module.module", "button_upgrade", { ids: [uom.id] });
      setModules({ contacts: { upgradeOn: "2026-11-25" }, uom: {} });
      const result = await ctx.engine.up();
      assert.deepEqual(result.errors, [
        `contacts: cannot upgrade module 'contacts': Odoo has module operations left pending: uom (to upgrade), which Odoo 17 would carry out along with it and Odoo 19 refuses to run beside; ${cancelAdvice(ctx.version)}, then run pulumi up again`,
      ]);
      assert.deepEqual(await moduleStatesOf(ctx.client, ["uom"]), ["uom to upgrade"]);
      await cancelPendingUpgrade(ctx.client, ctx.version, uom.id);
      assertClean(await ctx.engine.up());
      await assertSteady(ctx.engine);
    });

    test("a scheduled action holding the cron table is waited out, and said so", async () => {
      // What a long scheduled action does: hold ir_cron's rows, from another connection, here until
      // the upgrade has been refused and tried again (however long the CLI takes to get there).
      const holder = holdCronTable(ctx);
      await holder.locked;
      setModules({ contacts: { upgradeOn: "2026-11-26" }, uom: {} });
      const logs = ctx.engine.logs.length;
      const from = ctx.proxy.calls.length;
      const upgrades = () => ctx.proxy.calls.slice(from).filter((call) => call.includes("button_immediate_upgrade")).length;
      let ended = false;
      const up = ctx.engine.up().finally(() => (ended = true));
      // Released at once if the up ends first (then the assertions below say what went wrong).
      await until(() => ended || upgrades() >= 2, 120_000);
      holder.release();
      assertClean(await up);
      assert.match(ctx.engine.logs.slice(logs).join(""), /module 'contacts': Odoo is currently processing a scheduled action; trying again in 1 s/);
      assert.equal(await holder.done, 0);
      await assertSteady(ctx.engine);
    });

    test("past busyTimeoutSeconds, the upgrade fails with one sentence and stays to do", async () => {
      const holder = holdCronTable(ctx);
      await holder.locked;
      setModules({ contacts: { upgradeOn: "2026-11-27", busyTimeoutSeconds: 2 }, uom: {} });
      const result = await ctx.engine.up();
      holder.release();
      assert.deepEqual(result.errors, [
        "contacts: cannot upgrade module 'contacts': Odoo was still currently processing a scheduled action after 2 s of trying; run pulumi up again later (or raise busyTimeoutSeconds)",
      ]);
      assert.equal(await holder.done, 0);
      assert.deepEqual(
        ops(await ctx.engine.preview()).filter((op) => !op.startsWith("same")),
        ["update contacts [busyTimeoutSeconds,upgradeOn]"],
      );
      assertClean(await ctx.engine.up());
      await assertSteady(ctx.engine);
    });

    test("settings changed in Odoo show at refresh for the declared keys, and up puts them back", async () => {
      const [id] = await ctx.client.call<number[]>("res.config.settings", "create", { vals_list: [{ show_effect: true }] });
      await ctx.client.call("res.config.settings", "execute", { ids: [id] });
      assert.deepEqual(
        ops(await ctx.engine.refresh()).filter((op) => op.includes("[")),
        ["refresh settings [values]"],
      );
      assertClean(await ctx.engine.up());
      assert.deepEqual(await settingsNow(), applied(ctx.version));
      await assertSteady(ctx.engine);
    });

    test("uom uninstalled by hand is gone at refresh, and up installs it again", async () => {
      await moduleByHand(ctx.client, "uom", "uninstall");
      assert.deepEqual(
        ops(await ctx.engine.refresh()).filter((op) => op.startsWith("read-gone")),
        ["read-gone uom"],
      );
      assertClean(await ctx.engine.up());
      assert.deepEqual(await moduleStatesOf(ctx.client, ["uom"]), ["uom installed"]);
    });

    test("destroy leaves modules installed and says so; with uninstallOnDestroy applied first, it uninstalls them", async () => {
      let logs = ctx.engine.logs.length;
      assertClean(await ctx.engine.destroy());
      const said = ctx.engine.logs.slice(logs).join("");
      assert.match(said, /module 'contacts' stays installed: destroy uninstalls a module only when uninstallOnDestroy: true was applied first/);
      const names = [...settingsOf(ctx.version), "report_footer"].sort().join(", ");
      assert.ok(said.includes(`settings ${names} stay as they are: destroy does not reset Odoo's settings`), said);
      assert.deepEqual(await moduleStatesOf(ctx.client, ["contacts", "mail", "uom"]), ["contacts installed", "mail installed", "uom installed"]);
      ctx.engine.setConfig("test:settings", "");
      // What the up installed that uninstalling mail does not take along (Odoo 16: base_setup, which
      // mail depends on and a new 16 database lacks) is declared too, to be uninstalled as well.
      const mail = await findModule(ctx.client, "mail");
      const goesWithMail = ["mail", ...(await installedDependents(ctx.client, mail!.id))];
      const besides = installedBySuite.filter((name) => !goesWithMail.includes(name) && name !== "uom");
      const uninstall = { uninstallOnDestroy: true };
      setModules({ mail: uninstall, contacts: uninstall, uom: uninstall, ...Object.fromEntries(besides.map((name) => [name, uninstall])) });
      const adopt = await ctx.engine.up();
      assertClean(adopt);
      assert.deepEqual(
        (adopt.outputs.installed as unknown[][]).map((row) => [row[0], row[4]]),
        [["mail", true], ["contacts", true], ["uom", true], ...besides.map((name) => [name, true])],
      );
      logs = ctx.engine.logs.length;
      assertClean(await ctx.engine.destroy());
      assert.deepEqual(await moduleStatesOf(ctx.client, ["contacts", "mail", "uom"]), ["contacts uninstalled", "mail uninstalled", "uom uninstalled"]);
      assert.equal(ctx.engine.state.size, 0);
    });

    test("the server is as it was: the census, the settings, no restart, no secret", async () => {
      // Put back what the suite changed: the form's settings as far as it has them now (on 16 the
      // uninstalls took them away), and the company's footer on the company.
      const restore = pick(settingsBefore, await settingsFields(settingsOf(ctx.version)));
      if (Object.keys(restore).length) {
        const [id] = await ctx.client.call<number[]>("res.config.settings", "create", { vals_list: [restore] });
        await ctx.client.call("res.config.settings", "execute", { ids: [id] });
      }
      await ctx.client.call("res.company", "write", { ids: [1], vals: { report_footer: footerBefore } });
      assert.deepEqual(await settingsNow(), settingsBefore);
      assert.equal(await footer(ctx.client), footerBefore);
      assert.deepEqual(await installedModules(ctx.client), installedBefore);
      assert.deepEqual(await census(ctx.client, notInstalledBefore), before);
      assert.deepEqual(secretsIn(ctx, [ctx.apiKey]), []);
      assertNoRestart(ctx.real);
    });

    // Which of two deletes goes first is the engine's choice; the emulator stages the one that loses
    // the race, exactly (seen on a real 16): contacts looked at before mail's uninstall took it along.
    if (targetKind() === "emulator") {
      test("a module whose uninstall a dependency's took along is uninstalled, not refused", async () => {
        await runModuleOperation(ctx.client, (await findModule(ctx.client, "contacts"))!, "install");
        const contacts = (await findModule(ctx.client, "contacts"))!;
        await runModuleOperation(ctx.client, (await findModule(ctx.client, "mail"))!, "uninstall");
        assert.deepEqual(await runModuleOperation(ctx.client, contacts, "uninstall"), { ...contacts, state: "uninstalled", installedVersion: undefined });
      });
    }
  },
  [19, 17],
);
