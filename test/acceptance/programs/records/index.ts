import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Acceptance program: records with external ids, odoo.ref, a many2one and a many2many to other
// Records, and a record of a custom model made in the same program. `test:*` config drives the
// updates, the replacement (`test:noteModel`) and the delete behaviour (`test:onDelete`).
const cfg = new pulumi.Config("test");
const vip = new odoo.Record("vip", { model: "res.partner.category", values: { name: "Acceptance VIP" }, xmlId: "pulumi_acc.tag_vip" });
const company = new odoo.Record("company", {
  model: "res.partner",
  values: {
    name: cfg.get("companyName") ?? "Acceptance Company",
    is_company: true,
    country_id: odoo.ref("base.be"),
    category_id: [vip.recordId],
    comment: "<p>Our <b>best</b> customer</p>",
  },
  xmlId: "pulumi_acc.company",
  onDelete: cfg.get("onDelete") as "unlink" | "archive" | undefined,
});
new odoo.Record("contact", {
  model: "res.partner",
  values: { name: "Acceptance Contact", parent_id: company.recordId, email: "contact@acceptance.example" },
  xmlId: cfg.get("contactXmlId") ?? "pulumi_acc.contact",
});
new odoo.Record("note", { model: cfg.get("noteModel") ?? "res.partner.category", values: { name: "Acceptance note" } });
const gadget = new odoo.CustomModel("gadget", { model: "x_acc_gadget", name: "Gadget", forceDestroy: true });
const weight = new odoo.CustomField("weight", { model: gadget.model, name: "x_weight", type: "float" });
new odoo.Record("gadget-1", { model: gadget.model, values: { x_name: "One", x_weight: 1.5 } }, { dependsOn: [weight] });

export const companyId = company.recordId;
