import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: the Modules of `test:modules` ({name: {upgradeOn, uninstallOnDestroy, …}}), the
// Settings of `test:settings` (for the company of external id `test:company`) applied after them, and with test:unit a record of a model a module brings;
// the Records of `test:records` ({name: {model, values, xmlId}}) after the modules too.
const cfg = new pulumi.Config("test");
const declared = cfg.getObject<Record<string, Omit<odoo.ModuleArgs, "name">>>("modules") ?? {};
const modules = Object.entries(declared).map(([name, args]) => new odoo.Module(name, { name, ...args }));
const values = cfg.get("settings") ? cfg.getObject<Record<string, odoo.SettingsValue>>("settings") : undefined;
const company = cfg.get("company");
if (values) new odoo.Settings("settings", { values, company: company ? odoo.ref(company) : undefined, modules: modules.map((m) => m.name) });
if (cfg.getBoolean("unit")) new odoo.Record("unit", { model: "uom.uom", values: { name: "Engine unit" } }, { dependsOn: modules });
const records = cfg.getObject<Record<string, odoo.RecordArgs>>("records") ?? {};
for (const [name, args] of Object.entries(records)) new odoo.Record(name, args, { dependsOn: modules });
export const installed = pulumi.all(modules.map((m) => pulumi.all([m.name, m.state, m.installedWith, m.dependencies, m.alreadyInstalled, m.installedVersion])));
