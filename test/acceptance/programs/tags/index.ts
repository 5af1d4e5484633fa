import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Acceptance program for Records in batches: `test:count` partner tags (default 60), every third
// with an external id, so that the engine's parallel steps send their creates, external ids and
// deletes together. `test:bad` adds one whose parent does not exist, which only Odoo can refuse.
const cfg = new pulumi.Config("test");
const count = cfg.getNumber("count") ?? 60;
for (let i = 0; i < count; i++) {
  const n = String(i).padStart(3, "0");
  new odoo.Record(`tag-${n}`, { model: "res.partner.category", values: { name: `Acc bulk ${n}` }, xmlId: i % 3 === 0 ? `pulumi_acc.bulk_${n}` : undefined });
}
if (cfg.getBoolean("bad")) new odoo.Record("bad", { model: "res.partner.category", values: { name: "Acc bulk bad", parent_id: 999999999 } });
