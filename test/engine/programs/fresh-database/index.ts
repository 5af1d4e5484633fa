import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: a database this program creates, and resources inside it that connect with its
// key, so that nothing of them can be checked against Odoo at preview. `test:module`,
// `test:tagValues` and `test:settings` let a test put a mistake only the server can see in each.
const cfg = new pulumi.Config("test");
const db = new odoo.Database("db", {
  name: cfg.require("name"),
  adminPassword: cfg.requireSecret("adminPassword"),
  deletionProtection: false,
});
// Odoo 17 and older sign the key in with the login.
const connection = { database: db.name, apiKey: db.apiKey, login: "admin" };
new odoo.Module("app", { name: cfg.get("module") ?? "contacts", connection });
new odoo.Settings("settings", { values: cfg.getObject<Record<string, boolean>>("settings") ?? { show_effect: false }, connection });
new odoo.Record("tag", { model: "res.partner.category", values: cfg.getObject<Record<string, string>>("tagValues") ?? { name: "Key account" }, connection });
export const database = db.name;
