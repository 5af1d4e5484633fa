import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: `test:count` partner tags, to measure how refresh reads them.
const count = new pulumi.Config("test").getNumber("count") ?? 100;
for (let i = 0; i < count; i++) {
  new odoo.Record(`tag-${i}`, { model: "res.partner.category", values: { name: `Tag ${i}`, color: i % 12 } });
}
