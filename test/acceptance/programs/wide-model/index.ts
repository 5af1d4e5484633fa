import * as odoo from "pulumi-odoo";

// Acceptance program for the engine's parallelism: one model, 20 fields of mixed types and 50
// records that set them. The fields are independent of each other, so the engine sends their
// creates together; the provider must still change the schema one step at a time.
const model = new odoo.CustomModel("wide", { model: "x_acc_wide", name: "Wide", forceDestroy: true });
const kinds = ["char", "integer", "float", "boolean", "date"] as const;
const sample = { char: "text", integer: 7, float: 2.5, boolean: true, date: "2026-11-24" };
const fields = Array.from({ length: 20 }, (_, i) => {
  const type = kinds[i % kinds.length];
  return { name: `x_f${i}_${type}`, type, resource: new odoo.CustomField(`f${i}`, { model: model.model, name: `x_f${i}_${type}`, type }) };
});
for (let r = 0; r < 50; r++) {
  const values: Record<string, odoo.RecordValue> = { x_name: `Row ${r}` };
  for (const field of fields) values[field.name] = sample[field.type];
  new odoo.Record(`row-${r}`, { model: model.model, values }, { dependsOn: fields.map((f) => f.resource) });
}
