import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: the two fresh databases of the export round trip (test/scenarios/export-round-trip),
// named by `test:names`, dropped by a destroy.
const cfg = new pulumi.Config("test");
for (const name of cfg.requireObject<string[]>("names")) {
  new odoo.Database(name, { name, adminPassword: cfg.requireSecret("adminPassword"), deletionProtection: false });
}
