import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: `test:count` partner tags (names ending in `test:suffix`), all registered at once.
const cfg = new pulumi.Config("test");
const count = cfg.getNumber("count") ?? 100;
const suffix = cfg.get("suffix") ?? "";
for (let i = 0; i < count; i++) {
  new odoo.Record(`tag-${i}`, { model: "res.partner.category", values: { name: `Tag ${i}${suffix}`, color: i % 12 } });
}
