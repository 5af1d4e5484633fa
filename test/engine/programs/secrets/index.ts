import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: one resource of each kind, each holding the secrets it can hold. The API key and
// master password come from odoo:* configuration (secrets); the rest from test:* secrets.
const cfg = new pulumi.Config("test");
const connection = { apiKey: cfg.requireSecret("recordApiKey") };

const book = new odoo.CustomModel("book", { model: "x_secret_book", name: "Secret book", forceDestroy: true });
new odoo.CustomField("isbn", { model: book.model, name: "x_isbn", type: "char" });
const partner = new odoo.Record("partner", { model: "res.partner", values: { name: "Secret Partner" }, xmlId: "pulumi_secrets.partner", connection });
new odoo.Database("db", { name: "secret_db", adminPassword: cfg.requireSecret("adminPassword"), deletionProtection: false });
const upgrade = new odoo.UpgradeRequest("upgrade", {
  email: "ops@example.com",
  target: "19.0",
  aim: "test",
  dumpFile: cfg.require("dumpFile"),
  transfer: cfg.require("transfer") as "https" | "sftp",
  sshKey: cfg.requireSecret("sshKey"),
  pollSeconds: 0.02,
  timeoutMinutes: 1,
  platformUrl: cfg.require("platformUrl"),
});
export const partnerId = partner.recordId;
export const upgradeState = upgrade.state;
export const upgradeUrls = upgrade.urls;
