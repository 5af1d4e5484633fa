import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: a RecordSet of partner tags whose rows come from `test:records` (JSON: an
// odoo.ref is written as {"__odooRef": "module.name"}), and, given `test:csv`, a second one read
// from that CSV data file.
const cfg = new pulumi.Config("test");
const tags = new odoo.RecordSet("tags", {
  model: "res.partner.category",
  records: cfg.getObject<Record<string, Record<string, odoo.RecordValue>>>("records") ?? {},
  onDelete: cfg.get("onDelete") as "unlink" | "archive" | "keep" | undefined,
});
const file = cfg.get("csv");
const fromCsv = file ? new odoo.RecordSet("csv-tags", { model: "res.partner.category", records: odoo.csv(file, { module: "pulumi_acc" }) }) : undefined;
export const ids = tags.ids;
export const csvIds = fromCsv?.ids;
