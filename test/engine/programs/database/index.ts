import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: one Database whose source and guards come from `test:*` config. The master
// password comes from odoo:masterPassword unless test:masterPassword (a secret) is set.
const cfg = new pulumi.Config("test");
const opt = (key: string) => cfg.get(key) || undefined;
const fresh = !opt("copyFrom") && !opt("restoreFrom");
const db = new odoo.Database("db", {
  name: opt("name") ?? "engine_db",
  masterPassword: cfg.getSecret("masterPassword"),
  copyFrom: opt("copyFrom"),
  restoreFrom: opt("restoreFrom"),
  neutralize: cfg.getBoolean("neutralize"),
  adminPassword: fresh ? cfg.getSecret("adminPassword") : undefined,
  lang: fresh ? opt("lang") : undefined,
  backupBeforeDrop: opt("backupBeforeDrop"),
  deletionProtection: cfg.getBoolean("deletionProtection"),
  adopt: cfg.getBoolean("adopt"),
  ...(cfg.getObject<Record<string, unknown>>("extra") ?? {}),
});
export const source = db.source;
export const uuid = db.uuid;
export const neutralized = db.neutralized;
