import { accessError, keyError, missing, notFound, OdooFault, unprocessable, validation, valueError } from "./fault";

// An in-memory Odoo ORM: models with typed fields, records, the public methods of odoo19-facts §1
// and their argument binding (§2). The ir.* models' rules live in ir-models.ts.

export const TTYPES = [
  "binary",
  "boolean",
  "char",
  "date",
  "datetime",
  "float",
  "html",
  "integer",
  "json",
  "many2many",
  "many2one",
  "many2one_reference",
  "monetary",
  "one2many",
  "properties",
  "properties_definition",
  "reference",
  "selection",
  "text",
] as const;
export type FieldType = (typeof TTYPES)[number];

export interface FieldDef {
  name: string;
  type: FieldType;
  string: string;
  required?: boolean;
  /** A required field added to a table that already had rows: Odoo could not apply NOT NULL (facts §5). */
  notNullSkipped?: boolean;
  readonly?: boolean;
  relation?: string;
  relationField?: string;
  selection?: [string, string][];
  help?: string;
  store?: boolean;
  translate?: boolean;
  related?: string;
  depends?: string[];
  compute?: (record: Rec) => unknown;
  state: "base" | "manual";
  currencyField?: string;
  /** The ir.model.fields row that describes it. */
  irId?: number;
}

export type Rec = Record<string, unknown> & { id: number };

export interface ModelDef {
  name: string;
  description: string;
  order: string;
  state: "base" | "manual";
  transient: boolean;
  fields: Map<string, FieldDef>;
  records: Map<number, Rec>;
  nextId: number;
}

export interface Signature {
  /** @api.model methods refuse `ids`. */
  model?: boolean;
  params: string[];
  required?: string[];
}

export const SIGNATURES: Record<string, Signature> = {
  create: { model: true, params: ["vals_list"], required: ["vals_list"] },
  write: { params: ["vals"], required: ["vals"] },
  unlink: { params: [] },
  read: { params: ["fields", "load"] },
  search_read: { model: true, params: ["domain", "fields", "offset", "limit", "order"] },
  search: { model: true, params: ["domain", "offset", "limit", "order"] },
  search_count: { model: true, params: ["domain", "limit"], required: ["domain"] },
  fields_get: { model: true, params: ["allfields", "attributes"] },
  name_search: { model: true, params: ["name", "domain", "operator", "limit"] },
  copy: { params: ["default"] },
  get_external_id: { params: [] },
  has_access: { params: ["operation"], required: ["operation"] },
  context_get: { model: true, params: [] },
  check_object_reference: { model: true, params: ["module", "xml_id"], required: ["module", "xml_id"] },
  get_param: { model: true, params: ["key", "default"], required: ["key"] },
  // `fields` in Odoo 19, `fields_list` before: both taken here.
  default_get: { model: true, params: ["fields", "fields_list"] },
};

const PRIVATE = new Set(["exists", "check_access", "sudo", "browse", "with_user", "with_context"]);

/** A public method of one model beyond the ORM's own (button_immediate_install, execute…). */
export interface CustomMethod {
  signature: Signature;
  run(db: Orm, model: ModelDef, args: Record<string, any>, context: Record<string, any>): unknown;
}

export type Hooks = {
  beforeCreate?(db: Orm, model: ModelDef, vals: Record<string, unknown>, inline: boolean): void;
  afterCreate?(db: Orm, model: ModelDef, record: Rec, vals: Record<string, unknown>, inline: boolean): void;
  afterOne2many?(db: Orm, model: ModelDef, record: Rec, vals: Record<string, unknown>): void;
  beforeWrite?(db: Orm, model: ModelDef, records: Rec[], vals: Record<string, unknown>): void;
  afterWrite?(db: Orm, model: ModelDef, records: Rec[], vals: Record<string, unknown>): void;
  beforeUnlink?(db: Orm, model: ModelDef, records: Rec[]): void;
  afterUnlink?(db: Orm, model: ModelDef, records: Rec[]): void;
};

/**
 * The Odoo major versions emulated, each only where a real server was seen to differ: 17 as
 * odoo17-facts.md records it; 16 as 17 but where shared/odoo/README.md's table says otherwise.
 */
export type OdooVersion = 16 | 17 | 19;

export class Orm {
  /** The Odoo major version emulated: 17 and 16 store `translate` as a boolean (odoo17-facts §5). */
  version: OdooVersion = 19;
  models = new Map<string, ModelDef>();
  hooks = new Map<string, Hooks>();
  /** Apps and the Settings form (apps.ts). */
  apps: import("./apps").AppsState | undefined;
  /** Methods of particular models, by model and method name (apps.ts). */
  methods = new Map<string, Record<string, CustomMethod>>();
  /** Manual models whose access rules were created after the model: creates stay refused (facts §3). */
  staleAcl = new Set<string>();

  model(name: string): ModelDef {
    const model = this.models.get(name);
    if (!model) throw notFound(`the model '${name}' does not exist`);
    return model;
  }

  defineModel(name: string, description: string, fields: Partial<FieldDef>[], options: Partial<ModelDef> = {}): ModelDef {
    const model: ModelDef = {
      name,
      description,
      order: "id",
      state: "base",
      transient: false,
      fields: new Map(),
      records: new Map(),
      nextId: 1,
      ...options,
    };
    for (const base of baseFields()) model.fields.set(base.name, base);
    for (const field of fields) this.addField(model, { state: model.state, store: true, string: titleOf(field.name!), ...field } as FieldDef);
    this.models.set(name, model);
    return model;
  }

  addField(model: ModelDef, field: FieldDef): void {
    model.fields.set(field.name, field);
  }

  // ---- dispatch -------------------------------------------------------------------------

  call(modelName: string, method: string, body: unknown, uid = 2): unknown {
    const model = this.model(modelName);
    if (method.startsWith("_") || PRIVATE.has(method)) {
      throw accessError(`Private methods (such as '${modelName}.${method}') cannot be called remotely.`);
    }
    const signature = this.signatureOf(modelName, method);
    if (!signature) throw notFound(`The method '${modelName}.${method}' does not exist`);
    const args = bind(modelName, method, signature, body);
    if (uid !== 2) this.checkUserAccess(model, method);
    const custom = this.methods.get(modelName)?.[method];
    if (custom) return custom.run(this, model, args, (body as { context?: Record<string, any> } | null)?.context ?? {});
    return this.invoke(model, method, args);
  }

  /** How a method binds its arguments: the model's own method first, then the ORM's. */
  signatureOf(modelName: string, method: string): Signature | undefined {
    return this.methods.get(modelName)?.[method]?.signature ?? SIGNATURES[method];
  }

  private invoke(model: ModelDef, method: string, args: Record<string, any>): unknown {
    const ids: number[] = args.ids ?? [];
    switch (method) {
      case "create": {
        const list = Array.isArray(args.vals_list) ? args.vals_list : [args.vals_list];
        this.checkAccess(model, "create");
        // One request is one transaction in Odoo: a list refused at one row makes none of them
        // (their ids are spent, as PostgreSQL's sequences spend them).
        const made: number[] = [];
        try {
          for (const vals of list) made.push(this.create(model, vals).id);
        } catch (error) {
          for (const id of made) model.records.delete(id);
          throw error;
        }
        return made;
      }
      case "write":
        this.checkAccess(model, "write");
        this.write(model, ids, args.vals ?? {});
        return true;
      case "unlink":
        this.checkAccess(model, "unlink");
        this.unlink(model, ids);
        return true;
      case "read":
        this.checkAccess(model, "read");
        return this.read(model, ids, args.fields ?? null, args.load === undefined ? "_classic_read" : args.load);
      case "search_read": {
        this.checkAccess(model, "read");
        const found = this.search(model, args.domain ?? [], args.offset ?? 0, args.limit ?? null, args.order ?? null);
        const rows = this.read(model, found, args.fields ?? null, "_classic_read");
        return rows;
      }
      case "search":
        this.checkAccess(model, "read");
        return this.search(model, args.domain ?? [], args.offset ?? 0, args.limit ?? null, args.order ?? null);
      case "search_count": {
        this.checkAccess(model, "read");
        const count = this.search(model, args.domain, 0, null, null).length;
        return args.limit ? Math.min(count, args.limit) : count;
      }
      case "fields_get":
        return this.fieldsGet(model, args.allfields ?? null, args.attributes ?? null);
      case "name_search": {
        const name = String(args.name ?? "");
        const domain = [...(args.domain ?? []), ...(name ? [[recName(model), args.operator ?? "ilike", name]] : [])];
        const found = this.search(model, domain, 0, args.limit ?? 100, null);
        return found.map((id) => [id, this.displayName(model, model.records.get(id)!)]);
      }
      case "copy":
        this.checkAccess(model, "create");
        return ids.map((id) => {
          const source = this.existing(model, [id])[0];
          const vals: Record<string, unknown> = {};
          for (const field of model.fields.values()) {
            if (field.store === false || BASE_FIELD_NAMES.has(field.name) || field.type === "one2many") continue;
            vals[field.name] = field.type === "many2many" ? [[6, 0, source[field.name] ?? []]] : source[field.name];
          }
          if (typeof vals.name === "string") vals.name = `${vals.name} (copy)`;
          return this.create(model, { ...vals, ...(args.default ?? {}) }).id;
        });
      case "get_external_id": {
        const result: Record<string, string> = {};
        const data = this.models.get("ir.model.data")!;
        for (const id of ids) {
          const row = [...data.records.values()].find((r) => r.model === model.name && r.res_id === id);
          result[String(id)] = row ? `${row.module}.${row.name}` : "";
        }
        return result;
      }
      case "has_access":
        return true;
      case "context_get":
        return { lang: "en_US", tz: false, uid: 2 };
      case "check_object_reference": {
        const data = this.models.get("ir.model.data")!;
        const row = [...data.records.values()].find((r) => r.module === args.module && r.name === args.xml_id);
        if (!row) throw valueError(`External ID not found in the system: ${args.module}.${args.xml_id}`);
        return [row.model, row.res_id];
      }
      case "default_get": {
        // The emulator's models have one default: active (True), as create gives it.
        const asked = (args.fields ?? args.fields_list ?? []) as string[];
        return asked.includes("active") && model.fields.has("active") ? { active: true } : {};
      }
      case "get_param": {
        const row = [...model.records.values()].find((r) => r.key === args.key);
        return row ? row.value : (args.default ?? false);
      }
    }
    throw notFound(`The method '${model.name}.${method}' does not exist`);
  }

  // ---- access rules ---------------------------------------------------------------------

  checkAccess(model: ModelDef, operation: "read" | "write" | "create" | "unlink"): void {
    if (model.state !== "manual") return;
    const access = [...this.models.get("ir.model.access")!.records.values()].filter((r) => r.model_id === this.irModelId(model.name));
    const verb = { read: "read", write: "modify", create: "create", unlink: "delete" }[operation];
    const head = `You are not allowed to ${verb} '${model.description}' (${model.name}) records.`;
    const allowed = access.filter((r) => r[`perm_${operation}`]);
    if (allowed.length === 0)
      throw accessError(`${head}\n\nNo group currently allows this operation.\n\nContact your administrator to request access if necessary.`);
    if (operation === "create" && this.staleAcl.has(model.name)) {
      throw accessError(
        `${head}\n\nThis operation is allowed for the following groups:\n\t- Role / User\n\nContact your administrator to request access if necessary.`,
      );
    }
  }

  /** A plain internal user: the ir.* models are the administrators' (facts §2, ACL denied). */
  private checkUserAccess(model: ModelDef, method: string): void {
    const operation = { create: "create", write: "modify", unlink: "delete", copy: "create" }[method] ?? "access";
    const refused =
      model.name === "ir.model.fields" ||
      ((model.name === "ir.model" || model.name === "ir.model.access" || model.name === "res.users") && operation !== "access") ||
      (model.name === "res.company" && operation === "delete");
    if (refused) {
      throw accessError(
        `You are not allowed to ${operation} '${model.description}' (${model.name}) records.\n\nThis operation is allowed for the following groups:\n\t- Access Rights\n\nContact your administrator to request access if necessary.`,
      );
    }
  }

  irModelId(name: string): number | undefined {
    const irModel = this.models.get("ir.model");
    return [...(irModel?.records.values() ?? [])].find((r) => r.model === name)?.id;
  }

  // ---- CRUD -----------------------------------------------------------------------------

  create(model: ModelDef, vals: Record<string, unknown>, inline = false): Rec {
    if (vals === null || typeof vals !== "object" || Array.isArray(vals)) throw valueError("dictionary update sequence element #0 has length 1; 2 is required");
    for (const key of Object.keys(vals)) {
      if (!model.fields.has(key)) throw valueError(`Invalid field '${key}' in '${model.name}'`);
    }
    const hooks = this.hooks.get(model.name);
    hooks?.beforeCreate?.(this, model, vals, inline);
    const record: Rec = { id: model.nextId++ };
    const now = utcNow();
    record.create_date = now;
    record.write_date = now;
    record.create_uid = 2;
    record.write_uid = 2;
    const deferred: [FieldDef, unknown][] = [];
    for (const field of model.fields.values()) {
      if (BASE_FIELD_NAMES.has(field.name) || field.store === false) continue;
      if (field.name in vals) {
        if (field.type === "one2many") deferred.push([field, vals[field.name]]);
        else record[field.name] = this.convert(model, field, vals[field.name], undefined, record.id);
      } else if (field.type === "many2many") record[field.name] = [];
      // Odoo's `active` defaults to True (records are made active); other booleans to False.
      else if (field.name === "active") record[field.name] = true;
      else if (field.type === "boolean") record[field.name] = false;
      else record[field.name] = false;
    }
    for (const field of model.fields.values()) {
      if (field.required && field.store !== false && !field.notNullSkipped && !BASE_FIELD_NAMES.has(field.name) && field.type !== "boolean") {
        const value = record[field.name];
        if (value === false || value === undefined || value === null || value === "") {
          if (model.name === "res.partner" && field.name === "name") throw validation("The operation cannot be completed: Contacts require a name");
          throw validation(`The operation cannot be completed: Missing required value for the field '${field.string}' (${field.name})`);
        }
      }
    }
    model.records.set(record.id, record);
    try {
      // The hook first: an ir.model must exist as a model before its field_id commands run.
      hooks?.afterCreate?.(this, model, record, vals, inline);
      for (const [field, commands] of deferred) this.applyOne2many(model, field, record.id, commands);
      hooks?.afterOne2many?.(this, model, record, vals);
    } catch (error) {
      model.records.delete(record.id);
      throw error;
    }
    return record;
  }

  write(model: ModelDef, ids: number[], vals: Record<string, unknown>): void {
    if (ids.length === 0) return;
    const records = this.existing(model, ids);
    for (const key of Object.keys(vals)) {
      if (!model.fields.has(key)) throw keyError(key);
    }
    this.hooks.get(model.name)?.beforeWrite?.(this, model, records, vals);
    for (const record of records) {
      const next: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(vals)) {
        const field = model.fields.get(key)!;
        if (field.type === "one2many") this.applyOne2many(model, field, record.id, value);
        else if (field.store !== false) next[key] = this.convert(model, field, value, record[key], record.id);
      }
      Object.assign(record, next, { write_date: utcNow(), write_uid: 2 });
    }
    this.hooks.get(model.name)?.afterWrite?.(this, model, records, vals);
  }

  unlink(model: ModelDef, ids: number[]): void {
    const records = this.existing(model, ids);
    this.hooks.get(model.name)?.beforeUnlink?.(this, model, records);
    for (const record of records) model.records.delete(record.id);
    // Unlinking a record removes its external ids too (facts §4).
    const data = this.models.get("ir.model.data");
    if (data && model.name !== "ir.model.data") {
      for (const row of [...data.records.values()]) {
        if (row.model === model.name && ids.includes(row.res_id as number)) data.records.delete(row.id);
      }
    }
    this.hooks.get(model.name)?.afterUnlink?.(this, model, records);
  }

  existing(model: ModelDef, ids: number[]): Rec[] {
    const gone = ids.filter((id) => !model.records.has(id));
    if (gone.length) throw missing(model.name, gone);
    return ids.map((id) => model.records.get(id)!);
  }

  read(model: ModelDef, ids: number[], fields: string[] | null, load: string | null): Record<string, unknown>[] {
    const names = fields && fields.length ? fields : [...model.fields.keys()];
    for (const name of names) {
      if (!model.fields.has(name)) throw valueError(`Invalid field '${name}' on '${model.name}'`);
    }
    return ids
      .filter((id) => model.records.has(id))
      .map((id) => {
        const record = model.records.get(id)!;
        const row: Record<string, unknown> = { id };
        for (const name of names) row[name] = this.readValue(model, model.fields.get(name)!, record, load);
        return row;
      });
  }

  readValue(model: ModelDef, field: FieldDef, record: Rec, load: string | null): unknown {
    if (field.name === "id") return record.id;
    if (field.name === "display_name") return this.displayName(model, record);
    if (field.compute) return field.compute(record);
    if (field.related) {
      // "x_partner_id.email": follow the many2one, then read the target's field.
      const [link, target] = field.related.split(".", 2);
      const linkField = model.fields.get(link);
      const comodel = this.models.get(linkField?.relation ?? "");
      const linked = comodel?.records.get(record[link] as number);
      return linked && comodel?.fields.get(target) ? this.readValue(comodel, comodel.fields.get(target)!, linked, load) : false;
    }
    if (field.type === "one2many") {
      const comodel = this.models.get(field.relation ?? "");
      if (!comodel || !field.relationField) return [];
      return [...comodel.records.values()].filter((r) => r[field.relationField!] === record.id).map((r) => r.id);
    }
    const value = record[field.name];
    if (field.type === "many2one" || (BASE_M2O.has(field.name) && typeof value === "number")) {
      if (!value) return false;
      const comodel = this.models.get(field.relation ?? "res.users");
      const target = comodel?.records.get(value as number);
      if (!target) return false;
      return load === null ? value : [value, this.displayName(comodel!, target)];
    }
    if (field.type === "integer") return value === false || value === undefined ? 0 : value;
    if (field.type === "float" || field.type === "monetary") return value === false || value === undefined ? 0 : value;
    if (field.type === "many2many") return value ?? [];
    return value === undefined ? false : value;
  }

  displayName(model: ModelDef, record: Rec): string {
    const name = record[recName(model)];
    if (model.name === "ir.model.data") return `${record.module}.${record.name}`;
    return typeof name === "string" && name ? name : `${model.name},${record.id}`;
  }

  fieldsGet(model: ModelDef, allfields: string[] | null, attributes: string[] | null): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const field of model.fields.values()) {
      if (allfields && !allfields.includes(field.name)) continue;
      const attrs: Record<string, unknown> = {
        type: field.type,
        string: field.string,
        required: !!field.required,
        readonly: !!field.readonly || BASE_FIELD_NAMES.has(field.name),
        store: field.store !== false,
        help: field.help,
        relation: field.relation,
        relation_field: field.relationField,
        selection: field.type === "selection" || field.type === "reference" ? (field.selection ?? []) : undefined,
        translate: field.translate,
        currency_field: field.currencyField,
        related: field.related,
        searchable: true,
        sortable: field.store !== false,
      };
      const picked: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(attrs)) {
        if (value === undefined) continue;
        if (attributes && !attributes.includes(key)) continue;
        picked[key] = value;
      }
      result[field.name] = picked;
    }
    return result;
  }

  // ---- values ---------------------------------------------------------------------------

  convert(model: ModelDef, field: FieldDef, value: unknown, current: unknown, recordId: number): unknown {
    const where = `${model.name}.${field.name}`;
    switch (field.type) {
      case "char":
      case "text":
        return value === false || value === null || value === undefined ? false : String(value);
      case "html":
        return typeof value === "string" ? sanitizeHtml(value) : false;
      case "integer":
        if (value === false || value === null) return 0;
        if (typeof value === "number") return Math.trunc(value);
        if (typeof value === "string" && /^\s*-?\d+\s*$/.test(value)) return parseInt(value, 10);
        throw valueError(`invalid literal for int() with base 10: '${String(value)}'`);
      case "float":
      case "monetary": {
        if (value === false || value === null) return 0;
        const number = typeof value === "number" ? value : Number(value);
        if (!Number.isFinite(number)) throw valueError(`could not convert string to float: '${String(value)}'`);
        // Monetary values are rounded to the currency (0.01 for the seeded currencies).
        return field.type === "monetary" ? Math.round(number * 100) / 100 : number;
      }
      case "boolean":
        return !!value;
      case "date":
        if (value === false || value === null) return false;
        if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
          throw valueError(`time data '${String(value)}' does not match format '%Y-%m-%d'`);
        }
        return value;
      case "datetime":
        if (value === false || value === null) return false;
        if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value} 00:00:00`;
        if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) {
          throw valueError(`time data '${String(value)}' does not match format '%Y-%m-%d %H:%M:%S'`);
        }
        return value;
      case "selection":
        if (value === false || value === null) return false;
        if (!(field.selection ?? []).some(([key]) => key === value)) throw valueError(`Wrong value for ${where}: '${String(value)}'`);
        return value;
      case "many2one": {
        if (value === false || value === null || value === 0) return false;
        if (typeof value !== "number") throw valueError(`invalid literal for int() with base 10: '${String(value)}'`);
        const comodel = this.models.get(field.relation ?? "");
        if (!comodel?.records.has(value)) {
          // A foreign key refused by PostgreSQL, in each version's words (odoo19-facts, odoo17-facts: "FK violation").
          throw validation(
            this.version >= 19
              ? `The operation cannot be completed: Another model is using the record you are trying to delete.\n\nThe troublemaker is: '${model.description}' (${model.name})\nThanks to the following constraint: '${field.string}' (${field.name})\n\nHow about archiving the record instead?`
              : `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${model.description} (${model.name})\nConstraint: ${model.name.replace(/\./g, "_")}_${field.name}_fkey\n`,
          );
        }
        if (model.name === field.relation && value === recordId && field.name === "parent_id") {
          throw validation(`You cannot create recursive ${model.description} hierarchies.`);
        }
        return value;
      }
      case "many2many":
        return applyMany2many(this, field, Array.isArray(current) ? current : [], value);
      case "json":
      case "properties":
      case "properties_definition":
        return value;
      default:
        return value === null ? false : value;
    }
  }

  private applyOne2many(model: ModelDef, field: FieldDef, id: number, commands: unknown): void {
    const comodel = this.model(field.relation!);
    if (!Array.isArray(commands)) return;
    for (const command of commands) {
      if (!Array.isArray(command)) continue;
      const [code, target, vals] = command as [number, number, Record<string, unknown>];
      if (code === 0) this.create(comodel, { ...vals, [field.relationField!]: id }, true);
      else if (code === 1) this.write(comodel, [target], vals);
      else if (code === 2) this.unlink(comodel, [target]);
      else if (code === 4) this.write(comodel, [target], { [field.relationField!]: id });
    }
  }

  // ---- search ---------------------------------------------------------------------------

  search(model: ModelDef, domain: unknown, offset: number, limit: number | null, order: string | null): number[] {
    if (!Array.isArray(domain)) throw valueError(`Domain() invalid domain: ${JSON.stringify(domain)}`);
    const matches = [...model.records.values()].filter((record) => this.matches(model, record, domain));
    const keys = (order || model.order || "id").split(",").map((part) => part.trim().split(/\s+/));
    matches.sort((a, b) => {
      for (const [name, direction] of keys) {
        const x = a[name] as any;
        const y = b[name] as any;
        if (x === y) continue;
        const sign = (direction ?? "asc").toLowerCase() === "desc" ? -1 : 1;
        if (x === false || x === undefined) return sign;
        if (y === false || y === undefined) return -sign;
        return x < y ? -sign : sign;
      }
      return 0;
    });
    const ids = matches.map((record) => record.id).slice(offset || 0);
    return limit ? ids.slice(0, limit) : ids;
  }

  matches(model: ModelDef, record: Rec, domain: unknown[]): boolean {
    // Odoo domains are prefix notation with an implicit '&' between leaves.
    const stack: boolean[] = [];
    for (let i = domain.length - 1; i >= 0; i--) {
      const item = domain[i];
      if (item === "&" || item === "|") {
        const a = stack.pop() ?? true;
        const b = stack.pop() ?? true;
        stack.push(item === "&" ? a && b : a || b);
      } else if (item === "!") {
        stack.push(!(stack.pop() ?? true));
      } else {
        stack.push(this.leaf(model, record, item));
      }
    }
    return stack.every(Boolean);
  }

  private leaf(model: ModelDef, record: Rec, item: unknown): boolean {
    if (!Array.isArray(item) || item.length !== 3) {
      throw valueError(`Domain() invalid item in domain: ${JSON.stringify(item).replace(/"/g, "'").replace(/,/g, ", ")}`);
    }
    const [path, operator, expected] = item as [string, string, unknown];
    const [name, sub] = String(path).split(".", 2);
    const field = model.fields.get(name);
    if (!field)
      throw valueError(
        `Invalid field ${model.name}.${name} in condition ${JSON.stringify(item).replace(/^\[/, "(").replace(/\]$/, ")").replace(/"/g, "'").replace(/,/g, ", ")}`,
      );
    if (field.store === false && name !== "id" && name !== "display_name") {
      throw valueError(`Cannot convert ${model.name}.${name} to SQL because it is not stored`);
    }
    let actual: unknown = name === "id" ? record.id : name === "display_name" ? this.displayName(model, record) : record[name];
    if (sub && field.relation) {
      const comodel = this.models.get(field.relation);
      const target = comodel?.records.get(actual as number);
      actual = target ? target[sub] : false;
    }
    return compare(actual, operator, expected);
  }
}

function compare(actual: unknown, operator: string, expected: unknown): boolean {
  const list = Array.isArray(actual) ? actual : [actual];
  switch (operator) {
    case "=":
    case "==":
      return Array.isArray(actual)
        ? expected === false
          ? actual.length === 0
          : actual.includes(expected)
        : actual === expected || (expected === false && (actual === undefined || actual === null));
    case "!=":
    case "<>":
      return !compare(actual, "=", expected);
    case "in":
      return Array.isArray(expected) && list.some((v) => expected.includes(v));
    case "not in":
      return !compare(actual, "in", expected);
    case "like":
      return typeof actual === "string" && actual.includes(String(expected));
    case "ilike":
      return typeof actual === "string" && actual.toLowerCase().includes(String(expected).toLowerCase());
    case "not ilike":
      return !compare(actual, "ilike", expected);
    case "=like":
    case "=ilike": {
      const pattern = new RegExp(
        `^${String(expected)
          .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
          .replace(/%/g, ".*")
          .replace(/_/g, ".")}$`,
        operator === "=ilike" ? "i" : "",
      );
      return typeof actual === "string" && pattern.test(actual);
    }
    case ">":
      return (actual as any) > (expected as any);
    case ">=":
      return (actual as any) >= (expected as any);
    case "<":
      return (actual as any) < (expected as any);
    case "<=":
      return (actual as any) <= (expected as any);
  }
  throw valueError(`Domain() invalid operator: '${operator}'`);
}

function applyMany2many(orm: Orm, field: FieldDef, current: number[], value: unknown): number[] {
  if (value === false || value === null) return [];
  if (!Array.isArray(value)) throw valueError(`Wrong value for ${field.name}: ${JSON.stringify(value)}`);
  let ids = [...current];
  const comodel = orm.models.get(field.relation ?? "");
  const check = (id: number) => {
    if (!comodel?.records.has(id)) throw missing(field.relation ?? "", [id]);
    return id;
  };
  for (const command of value) {
    if (typeof command === "number") {
      // A bare list of ids replaces the set, like Command.set.
      ids = (value as number[]).map(check);
      break;
    }
    const [code, id, arg] = command as [number, number, unknown];
    if (code === 6) ids = (arg as number[]).map(check);
    else if (code === 4 && !ids.includes(id)) ids.push(check(id));
    else if (code === 3) ids = ids.filter((x) => x !== id);
    else if (code === 5) ids = [];
    else if (code === 0) ids.push(orm.create(comodel!, arg as Record<string, unknown>).id);
  }
  return [...new Set(ids)];
}

/** Binds a JSON-2 body to the method's named parameters, with the server's 422 answers (facts §2). */
export function bind(model: string, method: string, signature: Signature, body: unknown): Record<string, any> {
  const args: Record<string, any> = body && typeof body === "object" && !Array.isArray(body) ? { ...(body as object) } : {};
  delete args.context;
  if ("ids" in args) {
    if (signature.model) throw unprocessable(`cannot call ${model}.${method} with ids`);
    const ids = args.ids;
    args.ids = typeof ids === "number" ? [ids] : Array.isArray(ids) ? ids : [];
  }
  // Python's Signature.bind reports a missing argument before an unexpected one (facts §2).
  for (const key of signature.required ?? []) {
    if (!(key in args)) throw unprocessable(`missing a required argument: '${key}'`);
  }
  for (const key of Object.keys(args)) {
    if (key !== "ids" && !signature.params.includes(key)) throw unprocessable(`got an unexpected keyword argument '${key}'`);
  }
  return args;
}

export const BASE_FIELD_NAMES = new Set(["id", "display_name", "create_uid", "create_date", "write_uid", "write_date"]);
const BASE_M2O = new Set(["create_uid", "write_uid"]);

function baseFields(): FieldDef[] {
  return [
    { name: "id", type: "integer", string: "ID", state: "base", readonly: true },
    { name: "display_name", type: "char", string: "Display Name", state: "base", store: false, readonly: true },
    { name: "create_uid", type: "many2one", relation: "res.users", string: "Created by", state: "base", readonly: true },
    { name: "create_date", type: "datetime", string: "Created on", state: "base", readonly: true },
    { name: "write_uid", type: "many2one", relation: "res.users", string: "Last Updated by", state: "base", readonly: true },
    { name: "write_date", type: "datetime", string: "Last Updated on", state: "base", readonly: true },
  ];
}

export function recName(model: ModelDef): string {
  return model.fields.has("name") ? "name" : model.fields.has("x_name") ? "x_name" : "id";
}

export function titleOf(name: string): string {
  return name
    .replace(/^x_/, "")
    .replace(/[._]/g, " ")
    .replace(/\b\w/g, (c) => c.toUpperCase());
}

export function utcNow(): string {
  return new Date().toISOString().replace("T", " ").slice(0, 19);
}

function sanitizeHtml(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/gi, "").replace(/\son\w+="[^"]*"/gi, "");
}

export { OdooFault };
