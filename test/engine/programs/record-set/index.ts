import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: a RecordSet of partner tags whose rows come from `test:records` (JSON: an
// odoo.ref is written as {"__odooRef": "module.name"}), and, given `test:csv`, a second one read
// from that CSV data file. Given `test:parentTag`, a Record makes a tag of that name first, and a
// value {"__parentTag": true} in a row stands for its id: another resource's output, not known at
// the first preview.
const cfg = new pulumi.Config("test");
const parentName = cfg.get("parentTag");
const parent = parentName ? new odoo.Record("parent-tag", { model: "res.partner.category", values: { name: parentName, color: 0 } }) : undefined;
const given = cfg.getObject<Record<string, Record<string, odoo.RecordValue>>>("records") ?? {};
const records = Object.fromEntries(
  Object.entries(given).map(([xmlId, row]) => [
    xmlId,
    Object.fromEntries(Object.entries(row).map(([field, value]) => [field, isParentTag(value) && parent ? parent.recordId : value])),
  ]),
);
const tags = new odoo.RecordSet("tags", {
  model: "res.partner.category",
  records,
  onDelete: cfg.get("onDelete") as "unlink" | "archive" | "keep" | undefined,
});
const file = cfg.get("csv");
const fromCsv = file ? new odoo.RecordSet("csv-tags", { model: "res.partner.category", records: odoo.csv(file, { module: "pulumi_acc" }) }) : undefined;
export const ids = tags.ids;
export const csvIds = fromCsv?.ids;

function isParentTag(value: unknown): boolean {
  return typeof value === "object" && value !== null && "__parentTag" in value;
}
