import { keyError, OdooFault, userError, validation, valueError } from "./fault";
import { BASE_FIELD_NAMES, type FieldDef, type FieldType, type ModelDef, type Orm, type Rec, TTYPES } from "./orm";

// The rules of ir.model, ir.model.fields, ir.model.access and ir.model.data, as a real Odoo 19
// applies them (odoo19-facts §3, §4, §5). Each ir.model / ir.model.fields row is mirrored into the
// ORM's model registry, which is what makes a custom model callable.

export function installIrHooks(orm: Orm): void {
  orm.hooks.set("ir.model", irModelHooks);
  orm.hooks.set("ir.model.fields", irFieldHooks);
  orm.hooks.set("ir.model.access", {
    afterCreate(db, _model, record, _vals, inline) {
      // Created on its own after the model: the same user's creates stay refused (facts §3, stale ACL).
      const name = modelNameOf(db, record.model_id as number);
      if (name && !inline) db.staleAcl.add(name);
    },
    afterWrite(db, _model, records) {
      for (const record of records) {
        const name = modelNameOf(db, record.model_id as number);
        if (name) db.staleAcl.delete(name);
      }
    },
  });
  orm.hooks.set("ir.model.data", {
    beforeCreate(db, model, vals) {
      const clash = [...model.records.values()].find((r) => r.module === vals.module && r.name === vals.name);
      if (clash) {
        throw validation(
          `The operation cannot be completed: duplicate key value violates unique constraint "ir_model_data_module_name_uniq_index"\nDETAIL:  Key (module, name)=(${vals.module}, ${vals.name}) already exists.\n`,
        );
      }
    },
  });
}

const irModelHooks = {
  beforeCreate(db: Orm, irModel: ModelDef, vals: Record<string, unknown>) {
    const name = String(vals.model ?? "");
    if (!vals.name) throw validation("The operation cannot be completed: Missing required value for the field 'Model Description' (name)");
    if (!name.startsWith("x_")) throw validation("The model name must start with 'x_'.");
    if (!/^[a-z0-9_.]+$/.test(name)) throw validation("The model name can only contain lowercase characters, digits, underscores and dots.");
    if ([...irModel.records.values()].some((r) => r.model === name)) {
      throw validation("The operation cannot be completed: Each model must have a unique name.");
    }
    // Without `state` the model is manual; `state: "base"` is stored as given (facts §3).
    if (vals.state === undefined) vals.state = "manual";
    if (vals.order === undefined || vals.order === false) vals.order = "id";
  },
  afterCreate(db: Orm, _irModel: ModelDef, record: Rec, vals: Record<string, unknown>) {
    const model = db.defineModel(String(record.model), String(record.name), [], {
      state: record.state as "base" | "manual",
      order: String(record.order),
      transient: !!record.transient,
    });
    registerFieldRows(db, model, record.id);
    createField(db, record.id, { name: "x_name", field_description: "Name", ttype: "char", state: "manual" });
  },
  beforeWrite(db: Orm, _irModel: ModelDef, records: Rec[], vals: Record<string, unknown>) {
    if ("model" in vals && records.some((r) => r.model !== vals.model)) throw userError("Field Model cannot be modified on models.");
    if ("transient" in vals && records.some((r) => !!r.transient !== !!vals.transient)) {
      throw userError("Field Transient Model cannot be modified on models.");
    }
  },
  afterWrite(db: Orm, _irModel: ModelDef, records: Rec[]) {
    for (const record of records) {
      const model = db.models.get(String(record.model));
      if (!model) continue;
      model.description = String(record.name);
      model.order = String(record.order || "id");
    }
  },
  beforeUnlink(db: Orm, _irModel: ModelDef, records: Rec[]) {
    for (const record of records) {
      const model = db.model(String(record.model));
      if (record.state !== "manual") throw userError("This column contains module data and cannot be removed!");
      for (const field of model.fields.values()) {
        const dependent = dependentOf(model, field.name);
        if (dependent) throw cannotRemove(model.name, field.name, model.name, dependent.name);
      }
      // A many2one on res.partner towards this model has an inherited copy on res.users that is
      // `state: base`: Odoo refuses the model deletion until that field is gone (facts §3).
      for (const other of db.models.values()) {
        if (other === model) continue;
        for (const field of other.fields.values()) {
          if (field.relation === model.name && field.state === "base") throw userError("This column contains module data and cannot be removed!");
        }
      }
    }
  },
  afterUnlink(db: Orm, _irModel: ModelDef, records: Rec[]) {
    const fields = db.model("ir.model.fields");
    const access = db.model("ir.model.access");
    const data = db.model("ir.model.data");
    for (const record of records) {
      db.models.delete(String(record.model));
      db.staleAcl.delete(String(record.model));
      for (const row of [...fields.records.values()]) if (row.model_id === record.id) fields.records.delete(row.id);
      for (const row of [...access.records.values()]) if (row.model_id === record.id) access.records.delete(row.id);
      for (const row of [...data.records.values()]) if (row.model === record.model) data.records.delete(row.id);
    }
  },
};

const irFieldHooks = {
  beforeCreate(db: Orm, irFields: ModelDef, vals: Record<string, unknown>) {
    if (!vals.model_id) {
      throw validation("The operation cannot be completed: Missing required value for the field 'Model' (model_id)");
    }
    const modelName = modelNameOf(db, vals.model_id as number);
    if (!modelName) throw validation(`The operation cannot be completed: Missing required value for the field 'Model' (model_id)`);
    const model = db.model(modelName);
    vals.model = modelName;
    if (vals.state === undefined) vals.state = "manual";
    const name = String(vals.name ?? "");
    if (vals.state === "manual" && !name.startsWith("x_")) {
      throw validation("The operation cannot be completed: Custom fields must have a name that starts with 'x_'!");
    }
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw validation("Field names can only contain characters, digits and underscores (up to 63).");
    if (model.fields.has(name)) throw validation("The operation cannot be completed: Field names must be unique per model.");
    if (!vals.field_description) {
      throw validation("The operation cannot be completed: Missing required value for the field 'Field Label' (field_description)");
    }
    if (!TTYPES.includes(vals.ttype as FieldType)) throw valueError(`Wrong value for ir.model.fields.ttype: '${String(vals.ttype)}'`);
    if (vals.on_delete !== undefined && !["cascade", "set null", "restrict"].includes(String(vals.on_delete))) {
      throw valueError(`Wrong value for ir.model.fields.on_delete: '${String(vals.on_delete)}'`);
    }
    if (vals.relation && !db.models.has(String(vals.relation))) {
      throw validation(`Unknown model name '${String(vals.relation)}' in Related Model`);
    }
    if (vals.ttype === "one2many" && !vals.relation_field) throw keyError("relation_field");
    if (vals.translate !== undefined) vals.translate = translateAs(db, vals.translate);
    if (vals.ttype === "many2many" && vals.relation) {
      const tables = [model.name, String(vals.relation)].map((m) => m.replace(/\./g, "_")).sort();
      vals.relation_table ??= `x_${tables[0]}_${tables[1]}_rel`;
      vals.column1 ??= `${model.name.replace(/\./g, "_")}_id`;
      vals.column2 ??= `${String(vals.relation).replace(/\./g, "_")}_id`;
    }
    if (vals.copied === undefined) vals.copied = !(vals.ttype === "one2many" || vals.related || vals.compute);
    // Odoo stores fields by default; related fields are not stored unless asked.
    if (vals.store === undefined) vals.store = !vals.related && vals.ttype !== "one2many";
    if (vals.on_delete === undefined && vals.ttype === "many2one") vals.on_delete = "set null";
    if (typeof vals.selection === "string") vals.selection = normalizeSelection(vals.selection);
  },
  // After the one2many commands: selection_ids rows exist by then.
  afterOne2many(db: Orm, _irFields: ModelDef, record: Rec, vals: Record<string, unknown>) {
    syncSelection(db, record, vals);
    mirrorField(db, record);
  },
  beforeWrite(db: Orm, _irFields: ModelDef, records: Rec[], vals: Record<string, unknown>) {
    for (const record of records) {
      if ("ttype" in vals && vals.ttype !== record.ttype) {
        throw userError("Changing the type of a field is not yet supported. Please drop it and create it again!");
      }
      if ("model_id" in vals && vals.model_id !== record.model_id) throw userError("Changing the model of a field is forbidden!");
      if ("name" in vals && vals.name !== record.name) {
        const name = String(vals.name);
        if (record.state === "manual" && !name.startsWith("x_")) {
          throw validation("The operation cannot be completed: Custom fields must have a name that starts with 'x_'!");
        }
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw validation("Field names can only contain characters, digits and underscores (up to 63).");
        const model = db.model(String(record.model));
        const dependent = dependentOf(model, String(record.name));
        if (dependent) throw cannotRemove(model.name, String(record.name), model.name, dependent.name);
        if (model.fields.has(name)) throw validation("The operation cannot be completed: Field names must be unique per model.");
        if (record.index) {
          // Real 17 and 19 look for the index under a name they never gave it (odoo17-facts §5).
          const table = model.name.replace(/\./g, "_");
          throw new OdooFault(500, "psycopg2.errors.UndefinedTable", `relation "${table}_${String(record.name)}_index" does not exist\n`);
        }
      }
      if ("relation" in vals && vals.relation && !db.models.has(String(vals.relation))) {
        throw validation(`Unknown model name '${String(vals.relation)}' in Related Model`);
      }
    }
    if (vals.translate !== undefined) vals.translate = translateAs(db, vals.translate);
    if (typeof vals.selection === "string") vals.selection = normalizeSelection(vals.selection);
  },
  afterWrite(db: Orm, _irFields: ModelDef, records: Rec[], vals: Record<string, unknown>) {
    for (const record of records) {
      const model = db.models.get(String(record.model));
      if (!model) continue;
      const oldName = [...model.fields.values()].find((f) => f.irId === record.id)?.name;
      if (oldName && oldName !== record.name) {
        // A rename keeps the column's data (facts §5).
        for (const row of model.records.values()) {
          row[String(record.name)] = row[oldName];
          delete row[oldName];
        }
        model.fields.delete(oldName);
      }
      if ("required" in vals && vals.required && model.records.size > 0) record.notNullSkipped = true;
      syncSelection(db, record, vals);
      mirrorField(db, record);
    }
  },
  beforeUnlink(db: Orm, _irFields: ModelDef, records: Rec[]) {
    for (const record of records) {
      if (record.state !== "manual" && !record.inherited) throw userError("This column contains module data and cannot be removed!");
      const model = db.model(String(record.model));
      const dependent = dependentOf(model, String(record.name));
      if (dependent) throw cannotRemove(model.name, String(record.name), model.name, dependent.name);
      for (const other of db.models.values()) {
        for (const field of other.fields.values()) {
          if (field.type === "one2many" && field.relation === model.name && field.relationField === record.name) {
            throw cannotRemove(model.name, String(record.name), other.name, field.name);
          }
        }
      }
    }
  },
  afterUnlink(db: Orm, irFields: ModelDef, records: Rec[]) {
    for (const record of records) {
      const model = db.models.get(String(record.model));
      if (model) {
        model.fields.delete(String(record.name));
        for (const row of model.records.values()) delete row[String(record.name)];
      }
      if (record.model === "res.partner") {
        // The inherited copy on res.users goes with it.
        for (const row of [...irFields.records.values()]) {
          if (row.model === "res.users" && row.name === record.name && row.inherited) {
            irFields.records.delete(row.id);
            db.models.get("res.users")?.fields.delete(String(row.name));
          }
        }
      }
    }
  },
};

/** The options live in ir.model.fields.selection rows; `selection` is their Python-literal text. */
function syncSelection(db: Orm, record: Rec, vals: Record<string, unknown>): void {
  if (record.ttype !== "selection") return;
  const rows = db.model("ir.model.fields.selection");
  if (typeof vals.selection === "string") {
    for (const row of [...rows.records.values()]) if (row.field_id === record.id) rows.records.delete(row.id);
    parseSelection(vals.selection).forEach(([value, name], sequence) => db.create(rows, { field_id: record.id, value, name, sequence }, true));
  }
  const options = [...rows.records.values()]
    .filter((row) => row.field_id === record.id)
    .sort((a, b) => (a.sequence as number) - (b.sequence as number) || a.id - b.id);
  record.selection = formatSelection(options.map((row) => [String(row.value), String(row.name)]));
}

/** Builds the model-registry field from an ir.model.fields row. */
function mirrorField(db: Orm, record: Rec): void {
  const model = db.model(String(record.model));
  // A many2one without a relation is accepted but never becomes a column (facts §5).
  if ((record.ttype === "many2one" || record.ttype === "many2many" || record.ttype === "one2many") && !record.relation) return;
  const field: FieldDef = {
    name: String(record.name),
    type: record.ttype as FieldType,
    string: String(record.field_description),
    required: !!record.required,
    notNullSkipped: !!record.notNullSkipped,
    readonly: !!record.readonly,
    relation: record.relation ? String(record.relation) : undefined,
    relationField: record.relation_field ? String(record.relation_field) : undefined,
    selection: record.ttype === "selection" ? parseSelection(String(record.selection || "[]")) : undefined,
    help: record.help ? String(record.help) : undefined,
    store: record.store !== false,
    translate: !!record.translate,
    state: record.state as "base" | "manual",
    related: record.related ? String(record.related) : undefined,
    depends: record.depends
      ? String(record.depends)
          .split(",")
          .map((s) => s.trim())
      : record.related
        ? [String(record.related).split(".")[0]]
        : undefined,
    currencyField: record.currency_field ? String(record.currency_field) : undefined,
    irId: record.id,
  };
  if (record.required && model.records.size > 0 && !model.fields.has(field.name)) {
    record.notNullSkipped = true;
    field.notNullSkipped = true;
  }
  db.addField(model, field);
  if (model.name === "res.partner" && record.state === "manual") {
    // res.users inherits res.partner: Odoo adds a `state: base` copy of the field (facts §3, §5).
    const irFields = db.model("ir.model.fields");
    const usersId = db.irModelId("res.users");
    if (usersId && ![...irFields.records.values()].some((r) => r.model === "res.users" && r.name === record.name)) {
      const copy: Rec = { ...record, id: irFields.nextId++, model: "res.users", model_id: usersId, state: "base", inherited: true };
      irFields.records.set(copy.id, copy);
      db.addField(db.model("res.users"), { ...field, state: "base", irId: copy.id });
    }
  }
}

export function createField(db: Orm, modelId: number, vals: Record<string, unknown>): Rec {
  return db.create(db.model("ir.model.fields"), { model_id: modelId, ...vals }, true);
}

/** Adds ir.model.fields rows for fields that exist in the registry (base models, base fields). */
/** The ir.model row of a model Odoo's code defines (a base model, or a module's), with its field rows. */
export function registerModel(db: Orm, model: ModelDef): void {
  const irModel = db.model("ir.model");
  const row = {
    id: irModel.nextId++,
    name: model.description,
    model: model.name,
    order: "id",
    state: "base",
    transient: model.transient,
    abstract: false,
    fold_name: false,
    info: false,
  };
  irModel.records.set(row.id, row);
  registerFieldRows(db, model, row.id);
}

export function registerFieldRows(db: Orm, model: ModelDef, modelId: number): void {
  const irFields = db.model("ir.model.fields");
  for (const field of model.fields.values()) {
    const row: Rec = {
      id: irFields.nextId++,
      name: field.name,
      model: model.name,
      model_id: modelId,
      field_description: field.string,
      ttype: field.type,
      state: BASE_FIELD_NAMES.has(field.name) ? "base" : field.state,
      required: !!field.required,
      readonly: !!field.readonly,
      relation: field.relation ?? false,
      relation_field: field.relationField ?? false,
      store: field.store !== false,
      copied: true,
      index: false,
      translate: field.translate ? "standard" : false,
      help: field.help ?? false,
      selection: field.selection ? formatSelection(field.selection) : false,
      groups: [],
    };
    irFields.records.set(row.id, row);
    field.irId = row.id;
  }
}

function dependentOf(model: ModelDef, name: string): FieldDef | undefined {
  return [...model.fields.values()].find((f) => f.name !== name && (f.depends ?? []).includes(name));
}

function cannotRemove(model: string, field: string, otherModel: string, other: string): OdooFault {
  return userError(`The field '${model}.${field}' cannot be removed because the field '${otherModel}.${other}' depends on it.`);
}

export function modelNameOf(db: Orm, id: number): string | undefined {
  const row = db.models.get("ir.model")?.records.get(id);
  return row ? String(row.model) : undefined;
}

/** Accepts Odoo's Python-literal form and a JSON form, and writes Odoo's form back (facts §5). */
export function normalizeSelection(text: string): string {
  return formatSelection(parseSelection(text));
}

export function parseSelection(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  const pattern = /[[(]\s*(['"])((?:\\.|(?!\1).)*)\1\s*,\s*(['"])((?:\\.|(?!\3).)*)\3\s*[\])]/g;
  for (const match of text.matchAll(pattern)) pairs.push([match[2], match[4]]);
  if (pairs.length === 0 && !/^\s*\[\s*\]\s*$/.test(text)) throw valueError(`malformed node or string: ${text}`);
  return pairs;
}

export function formatSelection(pairs: [string, string][]): string {
  const quote = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  return `[${pairs.map(([value, label]) => `(${quote(value)}, ${quote(label)})`).join(", ")}]`;
}

/** 19 stores a translated field's `translate` as "standard"; 17 as true, whatever it was sent (odoo17-facts §5). */
function translateAs(db: Orm, value: unknown): unknown {
  if (db.version < 19) return value === true || value === "standard" || value === "html_translate";
  return value === true ? "standard" : value;
}
