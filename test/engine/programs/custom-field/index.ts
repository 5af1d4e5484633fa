import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: a custom model and one field whose properties come from `test:*` config.
const cfg = new pulumi.Config("test");
// An empty config value means "not declared".
const opt = (key: string) => cfg.get(key) || undefined;
const model = new odoo.CustomModel("thing", { model: "x_engine_thing", name: "Thing", forceDestroy: true });
const field = new odoo.CustomField("field", {
  model: model.model,
  name: opt("name") ?? "x_code",
  type: (opt("type") as odoo.FieldType) ?? "char",
  label: opt("label"),
  help: opt("help"),
  size: opt("size") ? Number(opt("size")) : undefined,
  required: cfg.getBoolean("required"),
  translate: cfg.getBoolean("translate"),
  selection: opt("selection") ? JSON.parse(opt("selection")!) : undefined,
  relation: opt("relation"),
  groups: cfg.getObject("groups"),
  ...(cfg.getObject<Record<string, unknown>>("extra") ?? {}),
});
// A field on an existing model, created in the same program.
const partnerField = new odoo.CustomField("partner-thing", { model: "res.partner", name: "x_thing_id", type: "many2one", relation: model.model });
export const fieldId = field.fieldId;
export const partnerFieldId = partnerField.fieldId;
