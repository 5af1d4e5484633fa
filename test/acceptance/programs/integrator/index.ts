import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Acceptance program (issue 28): what an integrator writes for a client, from nothing. A fresh
// database; the apps the client runs (sales, CRM, inventory) and their settings; reference data
// (a product category, a product, a price list, a CRM tag, a sales team, a system parameter); and a
// custom model of equipment loans whose records point at the product's variant, which Odoo derives
// from the template and the program reads back. `test:name` names the database.
const cfg = new pulumi.Config("test");
const db = new odoo.Database("client-db", {
  name: cfg.require("name"),
  adminPassword: cfg.requireSecret("adminPassword"),
  lang: "en_US",
  deletionProtection: false,
});
// Odoo 17 and older sign the key in with the login.
const connection = { database: db.name, apiKey: db.apiKey, login: "admin" };

const sales = new odoo.Module("sales", { name: "sale_management", connection });
const crm = new odoo.Module("crm", { name: "crm", connection });
const stock = new odoo.Module("stock", { name: "stock", connection });
const apps = [sales, crm, stock];

// Price lists on, as the program manages one (off, the save would archive it: issue 28, point 1).
new odoo.Settings(
  "settings",
  {
    values: { group_product_pricelist: true, group_discount_per_so_line: true, group_stock_multi_locations: true, show_effect: false },
    modules: [sales.name, stock.name],
    connection,
  },
  { dependsOn: apps },
);

const furniture = new odoo.Record(
  "furniture",
  { model: "product.category", values: { name: "Furniture" }, xmlId: "client_setup.categ_furniture", connection },
  { dependsOn: apps },
);
const desk = new odoo.Record(
  "desk",
  {
    model: "product.template",
    values: { name: "Standing desk", list_price: 450, categ_id: furniture.recordId, sale_ok: true },
    xmlId: "client_setup.product_desk",
    readBack: ["product_variant_id"],
    connection,
  },
  { dependsOn: apps },
);
const deskVariant = desk.derived.apply((derived) => derived.product_variant_id as number);

new odoo.Record(
  "wholesale",
  { model: "product.pricelist", values: { name: "Wholesale" }, xmlId: "client_setup.pricelist_wholesale", connection },
  { dependsOn: apps },
);
new odoo.Record("hot-lead", { model: "crm.tag", values: { name: "Hot lead" }, connection }, { dependsOn: [crm] });
new odoo.Record("key-accounts", { model: "crm.team", values: { name: "Key accounts" }, connection }, { dependsOn: [sales, crm] });
new odoo.Record(
  "quote-validity",
  { model: "ir.config_parameter", values: { key: "client_setup.quote_validity_days", value: "30" }, connection },
  { dependsOn: apps },
);

// Equipment lent to customers: a custom model whose many2one points at product variants.
const loan = new odoo.CustomModel("loan", { model: "x_equipment_loan", name: "Equipment Loan", connection }, { dependsOn: apps });
const loanProduct = new odoo.CustomField("loan-product", {
  model: loan.model,
  name: "x_product_id",
  type: "many2one",
  relation: "product.product",
  label: "Product",
  connection,
});
const firstLoan = new odoo.Record(
  "first-loan",
  { model: loan.model, values: { x_name: "Desk for Acme", x_product_id: deskVariant }, connection },
  { dependsOn: [loanProduct] },
);

export const database = db.name;
export const ids = { template: desk.recordId, variant: deskVariant, loan: firstLoan.recordId };
export const installed = pulumi.all([sales.state, crm.state, stock.state]);
