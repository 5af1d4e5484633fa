import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: one resource of the kind `test:resource` (the provider's name for it, e.g.
// customField) with the inputs `test:inputs` as given, unchecked: what a JavaScript program, or a
// TypeScript one past a cast, hands the provider.
const cfg = new pulumi.Config("test");
const classes: Record<string, new (name: string, args: any) => pulumi.Resource> = {
  customModel: odoo.CustomModel,
  customField: odoo.CustomField,
  record: odoo.Record,
  recordSet: odoo.RecordSet,
  database: odoo.Database,
  module: odoo.Module,
  settings: odoo.Settings,
  upgradeRequest: odoo.UpgradeRequest,
};
new classes[cfg.require("resource")]("subject", cfg.requireObject("inputs"));
