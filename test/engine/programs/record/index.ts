import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: one partner whose values, xmlId and onDelete come from `test:*` config, a tag,
// and a custom model with a field and a record created in the same program.
const cfg = new pulumi.Config("test");
const tag = new odoo.Record("tag", { model: "res.partner.category", values: { name: "Engine tag" } });
const partner = new odoo.Record("partner", {
  model: cfg.get("model") ?? "res.partner",
  values: {
    name: "Engine Partner",
    country_id: odoo.ref("base.be"),
    category_id: [tag.recordId],
    ...(cfg.getObject<Record<string, odoo.RecordValue>>("values") ?? {}),
  },
  xmlId: cfg.get("xmlId"),
  onDelete: cfg.get("onDelete") as "unlink" | "archive" | "keep" | undefined,
  readBack: cfg.get("readBack") ? cfg.getObject<string[]>("readBack") : undefined,
});
const model = new odoo.CustomModel("gadget", { model: "x_engine_gadget", name: "Gadget", forceDestroy: true });
const weight = new odoo.CustomField("weight", { model: model.model, name: "x_weight", type: "float" });
new odoo.Record("gadget-1", { model: model.model, values: { x_name: "One", x_weight: 1.5 } }, { dependsOn: [weight] });
export const partnerId = partner.recordId;
export const values = partner.values;
export const derived = partner.derived;
