import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Acceptance program: a field of every type on a custom model and on res.partner (but 'properties',
// which check refuses: Odoo cannot give a custom one its definition), applied with the
// engine's parallelism. `test:label` relabels the indexed char fields and `test:codeName` renames them
// (updates), `test:codeType` changes their type (a replacement). `test:legacyCurrency` (Odoo 16, which
// has no currencyField): the monetary field takes its model's x_currency_id, as Odoo 16 does.
const cfg = new pulumi.Config("test");
const every = new odoo.CustomModel("every", { model: "x_acc_every", name: "Every Field", forceDestroy: true });
const line = new odoo.CustomModel("line", { model: "x_acc_line", name: "Every Field Line", forceDestroy: true });
const toEvery = new odoo.CustomField("line-every", { model: line.model, name: "x_every_id", type: "many2one", relation: every.model });
const toPartner = new odoo.CustomField("line-partner", { model: line.model, name: "x_partner_id", type: "many2one", relation: "res.partner" });

function everyType(prefix: string, model: pulumi.Input<string>, inverse: pulumi.Input<string>, opts: pulumi.CustomResourceOptions = {}) {
  const field = (name: string, args: Omit<odoo.CustomFieldArgs, "model" | "name">, more: pulumi.CustomResourceOptions = {}) =>
    new odoo.CustomField(`${prefix}-${name}`, { model, name: `x_acc_${name}`, ...args }, { ...opts, ...more });
  const legacyCurrency = cfg.getBoolean("legacyCurrency") ?? false;
  const currency = legacyCurrency
    ? new odoo.CustomField(`${prefix}-currency_id`, { model, name: "x_currency_id", type: "many2one", relation: "res.currency", label: "Acc currency" }, opts)
    : field("currency_id", { type: "many2one", relation: "res.currency", label: "Acc currency" });
  field("binary", { type: "binary" });
  field("boolean", { type: "boolean" });
  new odoo.CustomField(
    `${prefix}-code`,
    {
      model,
      name: cfg.get("codeName") ?? "x_acc_code",
      type: (cfg.get("codeType") as odoo.FieldType) ?? "char",
      label: cfg.get("label") ?? "Acc code",
      index: true,
      ...(cfg.get("codeType") ? {} : { size: 12 }),
    },
    opts,
  );
  field("date", { type: "date" });
  field("datetime", { type: "datetime" });
  field("float", { type: "float" });
  field("html", { type: "html" });
  field("integer", { type: "integer" });
  field("json", { type: "json" });
  field("text", { type: "text", translate: true });
  field("selection", {
    type: "selection",
    selection: [
      { value: "a", label: "A" },
      { value: "b", label: "B" },
    ],
  });
  field("reference", { type: "reference", selection: [{ value: "res.partner", label: "Contact" }] });
  field("tag_ids", { type: "many2many", relation: "res.partner.category" });
  field("parent_id", { type: "many2one", relation: "res.partner", onDelete: "set null" });
  field("line_ids", { type: "one2many", relation: line.model, relationField: inverse });
  field("amount", legacyCurrency ? { type: "monetary" } : { type: "monetary", currencyField: currency.name }, { dependsOn: [currency] });
  field("res_id", { type: "many2one_reference" });
  field("properties_definition", { type: "properties_definition" });
}

everyType("every", every.model, toEvery.name);
everyType("partner", "res.partner", toPartner.name);

export const model = every.model;
