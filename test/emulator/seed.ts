import { randomBytes, randomUUID } from "node:crypto";
import { OdooFault, userError, validation } from "./fault";
import { installApps } from "./apps";
import { installIrHooks, registerModel } from "./ir-models";
import { type FieldDef, type ModelDef, type OdooVersion, Orm, utcNow } from "./orm";
import { installUiModels, UI_MODELS } from "./ui-models";

// What a fresh Odoo 19 database holds that our resources touch: the ir.* models, a few base
// models with their usual fields, and the records and external ids every database has.

type F = Partial<FieldDef> & { name: string; type: FieldDef["type"] };

const IR_MODELS: [string, string, F[]][] = [
  [
    "ir.model",
    "Models",
    [
      { name: "name", type: "char", string: "Model Description", required: true },
      { name: "model", type: "char", string: "Model", required: true },
      { name: "order", type: "char", string: "Order", required: true },
      { name: "info", type: "text", string: "Information" },
      {
        name: "state",
        type: "selection",
        string: "Type",
        selection: [
          ["manual", "Custom Object"],
          ["base", "Base Object"],
        ],
        readonly: true,
      },
      { name: "transient", type: "boolean", string: "Transient Model" },
      { name: "abstract", type: "boolean", string: "Abstract Model" },
      { name: "fold_name", type: "char", string: "Fold Field" },
      { name: "field_id", type: "one2many", string: "Fields", relation: "ir.model.fields", relationField: "model_id" },
      { name: "access_ids", type: "one2many", string: "Access", relation: "ir.model.access", relationField: "model_id" },
      { name: "modules", type: "char", string: "In Apps", store: false, readonly: true },
      { name: "count", type: "integer", string: "Count (Incl. Archived)", store: false, readonly: true },
    ],
  ],
  [
    "ir.model.fields",
    "Fields",
    [
      { name: "name", type: "char", string: "Field Name", required: true },
      { name: "field_description", type: "char", string: "Field Label", required: true },
      { name: "model", type: "char", string: "Model Name", required: true },
      { name: "model_id", type: "many2one", string: "Model", relation: "ir.model", required: true },
      { name: "ttype", type: "char", string: "Field Type", required: true },
      {
        name: "state",
        type: "selection",
        string: "Type",
        selection: [
          ["manual", "Custom Field"],
          ["base", "Base Field"],
        ],
        readonly: true,
      },
      { name: "required", type: "boolean", string: "Required" },
      { name: "readonly", type: "boolean", string: "Readonly" },
      { name: "index", type: "boolean", string: "Indexed" },
      { name: "copied", type: "boolean", string: "Copied" },
      { name: "store", type: "boolean", string: "Stored" },
      { name: "help", type: "text", string: "Field Help" },
      { name: "size", type: "integer", string: "Size" },
      {
        name: "translate",
        type: "selection",
        string: "Translatable",
        selection: [
          ["standard", "Translate as a whole"],
          ["html_translate", "Translate HTML"],
          ["xml_translate", "Translate XML"],
        ],
      },
      { name: "relation", type: "char", string: "Related Model" },
      { name: "relation_field", type: "char", string: "Related Field" },
      { name: "relation_table", type: "char", string: "Relation Table" },
      { name: "column1", type: "char", string: "Column 1" },
      { name: "column2", type: "char", string: "Column 2" },
      {
        name: "on_delete",
        type: "selection",
        string: "On Delete",
        selection: [
          ["cascade", "Cascade"],
          ["set null", "Set NULL"],
          ["restrict", "Restrict"],
        ],
      },
      { name: "domain", type: "char", string: "Domain" },
      { name: "selection", type: "char", string: "Selection Options (Deprecated)" },
      { name: "selection_ids", type: "one2many", string: "Selection Options", relation: "ir.model.fields.selection", relationField: "field_id" },
      { name: "currency_field", type: "char", string: "Currency field" },
      { name: "related", type: "char", string: "Related Field Definition" },
      { name: "compute", type: "text", string: "Compute" },
      { name: "depends", type: "char", string: "Dependencies" },
      { name: "groups", type: "many2many", string: "Groups", relation: "res.groups" },
      { name: "group_expand", type: "boolean", string: "Expand Groups" },
      { name: "sanitize", type: "boolean", string: "Sanitize HTML" },
    ],
  ],
  [
    "ir.model.fields.selection",
    "Fields Selection",
    [
      { name: "field_id", type: "many2one", string: "Field", relation: "ir.model.fields", required: true },
      { name: "value", type: "char", string: "Value", required: true },
      { name: "name", type: "char", string: "Name", required: true },
      { name: "sequence", type: "integer", string: "Sequence" },
    ],
  ],
  [
    "ir.model.access",
    "Model Access",
    [
      { name: "name", type: "char", string: "Name", required: true },
      { name: "active", type: "boolean", string: "Active" },
      { name: "model_id", type: "many2one", string: "Model", relation: "ir.model", required: true },
      { name: "group_id", type: "many2one", string: "Group", relation: "res.groups" },
      { name: "perm_read", type: "boolean", string: "Read Access" },
      { name: "perm_write", type: "boolean", string: "Write Access" },
      { name: "perm_create", type: "boolean", string: "Create Access" },
      { name: "perm_unlink", type: "boolean", string: "Delete Access" },
    ],
  ],
  [
    "ir.model.data",
    "Model Data",
    [
      { name: "module", type: "char", string: "Module", required: true },
      { name: "name", type: "char", string: "External Identifier", required: true },
      { name: "model", type: "char", string: "Model Name", required: true },
      { name: "res_id", type: "many2one_reference", string: "Record ID" },
      { name: "noupdate", type: "boolean", string: "Non Updatable" },
      { name: "complete_name", type: "char", string: "Complete ID", store: false },
      { name: "reference", type: "char", string: "Reference", store: false },
    ],
  ],
  [
    "ir.config_parameter",
    "System Parameter",
    [
      { name: "key", type: "char", string: "Key", required: true },
      { name: "value", type: "text", string: "Value", required: true },
    ],
  ],
];

const BASE_MODELS: [string, string, F[]][] = [
  [
    "res.groups",
    "Access Groups",
    [
      { name: "name", type: "char", string: "Name", required: true },
      { name: "full_name", type: "char", string: "Group Name" },
    ],
  ],
  [
    "res.country",
    "Country",
    [
      { name: "name", type: "char", string: "Country Name", required: true },
      { name: "code", type: "char", string: "Country Code" },
    ],
  ],
  [
    "res.currency",
    "Currency",
    [
      { name: "name", type: "char", string: "Currency", required: true },
      { name: "symbol", type: "char", string: "Symbol" },
      { name: "rounding", type: "float", string: "Rounding Factor" },
      { name: "active", type: "boolean", string: "Active" },
    ],
  ],
  [
    "res.partner.category",
    "Partner Tags",
    [
      { name: "name", type: "char", string: "Name", required: true },
      { name: "color", type: "integer", string: "Color" },
      { name: "parent_id", type: "many2one", string: "Category", relation: "res.partner.category" },
      { name: "active", type: "boolean", string: "Active" },
    ],
  ],
  [
    "res.company",
    "Companies",
    [
      { name: "name", type: "char", string: "Company Name", required: true },
      { name: "partner_id", type: "many2one", string: "Partner", relation: "res.partner" },
      { name: "currency_id", type: "many2one", string: "Currency", relation: "res.currency" },
    ],
  ],
  [
    "res.partner",
    "Contact",
    [
      { name: "name", type: "char", string: "Name", required: true },
      { name: "active", type: "boolean", string: "Active" },
      { name: "is_company", type: "boolean", string: "Is a Company" },
      {
        name: "type",
        type: "selection",
        string: "Address Type",
        selection: [
          ["contact", "Contact"],
          ["invoice", "Invoice Address"],
          ["delivery", "Delivery Address"],
          ["other", "Other Address"],
        ],
      },
      { name: "email", type: "char", string: "Email" },
      { name: "phone", type: "char", string: "Phone" },
      { name: "street", type: "char", string: "Street" },
      { name: "city", type: "char", string: "City" },
      { name: "zip", type: "char", string: "Zip" },
      { name: "website", type: "char", string: "Website Link" },
      { name: "comment", type: "html", string: "Notes" },
      { name: "ref", type: "char", string: "Reference" },
      { name: "color", type: "integer", string: "Color Index" },
      { name: "credit_limit", type: "float", string: "Credit Limit" },
      { name: "date", type: "date", string: "Date" },
      { name: "parent_id", type: "many2one", string: "Related Company", relation: "res.partner" },
      { name: "child_ids", type: "one2many", string: "Contact", relation: "res.partner", relationField: "parent_id" },
      { name: "country_id", type: "many2one", string: "Country", relation: "res.country" },
      { name: "company_id", type: "many2one", string: "Company", relation: "res.company" },
      { name: "category_id", type: "many2many", string: "Tags", relation: "res.partner.category" },
      { name: "user_ids", type: "one2many", string: "Users", relation: "res.users", relationField: "partner_id" },
    ],
  ],
  [
    "res.users",
    "User",
    [
      { name: "name", type: "char", string: "Name", required: true },
      { name: "login", type: "char", string: "Login", required: true },
      { name: "active", type: "boolean", string: "Active" },
      { name: "partner_id", type: "many2one", string: "Related Partner", relation: "res.partner", required: true },
      { name: "company_id", type: "many2one", string: "Company", relation: "res.company" },
      { name: "group_ids", type: "many2many", string: "Groups", relation: "res.groups" },
    ],
  ],
];

/** Rules of base models that facts §2 records (unique login, the admin user, partners of users). */
export function installBaseHooks(orm: Orm): void {
  const loginTaken = (users: ModelDef, login: unknown, except?: number) => [...users.records.values()].some((u) => u.login === login && u.id !== except);
  orm.hooks.set("res.users", {
    beforeCreate(_db, users, vals) {
      if (loginTaken(users, vals.login)) throw validation("The operation cannot be completed: You can not have two users with the same login!");
    },
    beforeWrite(_db, users, records, vals) {
      if ("login" in vals && records.some((r) => loginTaken(users, vals.login, r.id))) {
        throw validation("The operation cannot be completed: You can not have two users with the same login!");
      }
    },
    beforeUnlink(_db, _users, records) {
      if (records.some((r) => r.id <= 2))
        throw userError(
          "You cannot delete the admin user because it is utilized in various places (such as security configurations,...). Instead, archive it.",
        );
    },
  });
  orm.hooks.set("res.partner", {
    beforeUnlink(db, _partners, records) {
      const users = [...db.model("res.users").records.values()];
      if (records.some((p) => users.some((u) => u.partner_id === p.id))) {
        const message = "You cannot delete contacts linked to an active user.\nYou should rather archive them after archiving the related user.";
        throw new OdooFault(500, "odoo.exceptions.RedirectWarning", message, [
          message,
          { type: "ir.actions.act_window", res_model: "res.users" },
          "Go to users",
          null,
        ]);
      }
    },
  });
}

export interface SeedOptions {
  name: string;
}

export function seedDatabase(version: OdooVersion = 19): Orm {
  const orm = new Orm();
  orm.version = version;
  installIrHooks(orm);
  installBaseHooks(orm);
  installUiModels(orm);
  for (const [name, description, fields] of [...IR_MODELS, ...BASE_MODELS, ...UI_MODELS]) orm.defineModel(name, description, fields);
  if (version < 19) {
    // 17 and 16: translate is a boolean, and ir.model has no abstract or fold_name (odoo17-facts §3, §5).
    const translate = orm.model("ir.model.fields").fields.get("translate")!;
    orm.model("ir.model.fields").fields.set("translate", { ...translate, type: "boolean", selection: undefined });
    for (const name of ["abstract", "fold_name"]) orm.model("ir.model").fields.delete(name);
    // Before 19, a view's and a menu's groups are groups_id.
    for (const model of ["ir.ui.view", "ir.ui.menu"]) {
      const fields = orm.model(model).fields;
      fields.set("groups_id", { ...fields.get("group_ids")!, name: "groups_id" });
      fields.delete("group_ids");
    }
    // 17 calls the list view "tree" (18 renamed it).
    const viewType = orm.model("ir.ui.view").fields.get("type")!;
    orm
      .model("ir.ui.view")
      .fields.set("type", { ...viewType, selection: viewType.selection!.map(([key, label]) => (key === "list" ? ["tree", "Tree"] : [key, label])) });
  }
  // 16: ir.model.fields has no currency_field (a monetary field takes currency_id or x_currency_id).
  if (version < 17) orm.model("ir.model.fields").fields.delete("currency_field");
  // ir.model rows for every model, and ir.model.fields rows for their fields.
  for (const model of orm.models.values()) registerModel(orm, model);
  const now = utcNow();
  const put = (model: string, xmlid: string | null, vals: Record<string, unknown>): number => {
    const def = orm.model(model);
    const id = def.nextId++;
    const record = { ...defaults(def.fields), id, create_date: now, write_date: now, create_uid: 1, write_uid: 1, ...vals };
    def.records.set(id, record);
    if (xmlid) {
      const [module, name] = xmlid.split(".");
      const data = orm.model("ir.model.data");
      const row = { id: data.nextId++, module, name, model, res_id: id, noupdate: true };
      data.records.set(row.id, row);
    }
    return id;
  };
  const groupUser = put("res.groups", "base.group_user", { name: "User", full_name: "Role / User" });
  put("res.groups", "base.group_system", { name: "Settings", full_name: "Administration / Settings" });
  put("res.groups", "base.group_erp_manager", { name: "Access Rights", full_name: "Administration / Access Rights" });
  put("res.groups", "base.group_portal", { name: "Portal", full_name: "Portal" });
  put("res.groups", "base.group_public", { name: "Public", full_name: "Public" });
  const eur = put("res.currency", "base.EUR", { name: "EUR", symbol: "€", rounding: 0.01, active: true });
  put("res.currency", "base.USD", { name: "USD", symbol: "$", rounding: 0.01, active: true });
  const countries: [string, string][] = [
    ["be", "Belgium"],
    ["fr", "France"],
    ["de", "Germany"],
    ["nl", "Netherlands"],
    ["us", "United States"],
    ["gb", "United Kingdom"],
    ["es", "Spain"],
    ["it", "Italy"],
  ];
  for (const [code, name] of countries) put("res.country", `base.${code}`, { name, code: code.toUpperCase() });
  const mainPartner = put("res.partner", "base.main_partner", { name: "My Company", is_company: true, active: true, type: "contact" });
  const company = put("res.company", "base.main_company", { name: "My Company", partner_id: mainPartner, currency_id: eur });
  orm.model("res.partner").records.get(mainPartner)!.company_id = company;
  const rootPartner = put("res.partner", "base.partner_root", { name: "OdooBot", active: false, type: "contact" });
  const adminPartner = put("res.partner", "base.partner_admin", {
    name: "Administrator",
    active: true,
    type: "contact",
    email: "admin@example.com",
    company_id: company,
  });
  put("res.users", "base.user_root", {
    name: "OdooBot",
    login: "__system__",
    active: false,
    partner_id: rootPartner,
    company_id: company,
    group_ids: [groupUser],
  });
  put("res.users", "base.user_admin", {
    name: "Administrator",
    login: "admin",
    active: true,
    partner_id: adminPartner,
    company_id: company,
    group_ids: [1, 2, 3],
  });
  put("res.partner.category", null, { name: "Vendor", active: true, color: 0 });
  const settings = put("ir.ui.menu", "base.menu_administration", { name: "Settings", active: true, sequence: 550 });
  put("ir.ui.menu", "base.menu_custom", { name: "Technical", active: true, sequence: 110, parent_id: settings });
  put("ir.config_parameter", null, { key: "database.uuid", value: randomUUID() });
  put("ir.config_parameter", null, { key: "database.is_neutralized", value: "False" });
  put("ir.config_parameter", null, { key: "database.create_date", value: now });
  installApps(orm);
  return orm;
}

function defaults(fields: Map<string, FieldDef>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields.values()) {
    if (field.store === false || field.type === "one2many") continue;
    values[field.name] = field.type === "many2many" ? [] : false;
  }
  return values;
}

export function newApiKey(): string {
  return randomBytes(20).toString("hex");
}
