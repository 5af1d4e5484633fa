import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// A staging environment cloned from production: a neutralized copy (no outgoing mail, no crons,
// no payment providers), rebuilt whenever the stack is replaced. Destroying it drops it, after a
// backup, because this stack sets deletionProtection to false for staging.

const cfg = new pulumi.Config();
const source = cfg.get("source") ?? "production";

const staging = new odoo.Database("staging", {
  name: `${source}-staging`,
  copyFrom: source,
  neutralize: true,
  deletionProtection: false,
  backupBeforeDrop: "backups/",
});

export const database = staging.name;
export const neutralized = staging.neutralized;
