import * as odoo from "pulumi-odoo";

// Acceptance program for an interrupted `pulumi up`: 100 resources, each of which Odoo knows by a
// name of its own (a model, its fields, partner tags with external ids), so that whatever the CLI
// was doing when it stopped, the next up can tell what was already made.
const model = new odoo.CustomModel("model", { model: "x_pulumi_acc_intr", name: "Acc interrupted" });
for (let i = 1; i <= 9; i++) new odoo.CustomField(`field-${i}`, { model: model.model, name: `x_f${i}`, type: "char", label: `F${i}` });
for (let i = 0; i < 90; i++) {
  const n = String(i).padStart(3, "0");
  new odoo.Record(`tag-${n}`, { model: "res.partner.category", values: { name: `Acc intr ${n}` }, xmlId: `pulumi_acc.intr_${n}` });
}
