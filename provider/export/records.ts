import type { OdooClient } from "../client/odoo-client";
import { xmlIdsOf } from "../internal/xmlid";
import { databaseUuid } from "../rows/xml-ids";

// What `pulumi-odoo export --records MODEL[:DOMAIN]` reads: the rows of a model, each by its
// external id (one made up for a row without, taken over by id on the first up in this database
// alone), with the fields a person set: stored, not computed, not Odoo's bookkeeping, and not at
// their default. A reference names its record by external id where it has one.

/** Bad input found while reading (an unknown model, too many rows): said with the usage, exit 2. */
export class ExportInputError extends Error {}

export interface RecordsScope {
  model: string;
  /** An Odoo domain, e.g. [["parent_id", "!=", false]]. */
  domain: unknown[];
}

/** A reference to another record, by external id: written odoo.ref(...) in the program. */
export interface Ref {
  __odooRef: string;
}

export interface ExportedRows {
  model: string;
  /** Each row's values by its external id, in the order of their ids. */
  rows: Record<string, Record<string, unknown>>;
  /** The rows that had no external id: their record ids, to be taken over by id in this database. */
  adoptIds: Record<string, number>;
}

/** Fields Odoo keeps for itself, never written by a person. */
const BOOKKEEPING = new Set(["id", "display_name", "create_uid", "create_date", "write_uid", "write_date", "__last_update", "parent_path"]);
const SKIPPED_TYPES = new Set(["one2many", "binary", "properties", "properties_definition", "reference", "many2one_reference"]);

interface FieldRow {
  name: string;
  state: string;
  ttype: string;
  relation: string | false;
}

/** Reads every scope's rows; references between them, and to records with external ids, as Refs. */
export async function readRecords(
  client: OdooClient,
  scopes: RecordsScope[],
  limit: number,
  notes: string[],
): Promise<{ sets: ExportedRows[]; database?: string }> {
  // madeUp: the rows given an external id here (those that had none), by record id.
  const read: { scope: RecordsScope; fields: FieldRow[]; rows: Record<string, unknown>[]; xmlIds: Map<number, string>; madeUp: Set<number> }[] = [];
  for (const scope of scopes) {
    const fields = await writableFields(client, scope.model);
    const count = await client.call<number>(scope.model, "search_count", { domain: scope.domain, context: { active_test: false } });
    if (count > limit)
      throw new ExportInputError(`--records ${scope.model} has ${count} rows, more than --limit ${limit}: narrow it with a domain, or raise --limit`);
    const rows = await client.call<Record<string, unknown>[]>(scope.model, "search_read", {
      domain: scope.domain,
      fields: fields.map((f) => f.name),
      order: "id",
      context: { active_test: false },
    });
    const xmlIds = await externalIds(
      client,
      scope.model,
      rows.map((row) => row.id as number),
    );
    const madeUp = new Set<number>();
    for (const row of rows.filter((r) => !xmlIds.has(r.id as number))) {
      xmlIds.set(row.id as number, `__export__.${scope.model.replace(/\./g, "_")}_${row.id}`);
      madeUp.add(row.id as number);
    }
    read.push({ scope, fields, rows, xmlIds, madeUp });
  }
  // A reference names the record by external id: a row exported, or a record that has one.
  const exported = new Map(read.map((r) => [r.scope.model, r.xmlIds]));
  const targets = new Map<string, Set<number>>();
  for (const { fields, rows } of read) {
    for (const field of fields.filter((f) => f.relation)) {
      for (const row of rows)
        for (const id of idsOf(row[field.name]))
          (targets.get(field.relation as string) ?? targets.set(field.relation as string, new Set()).get(field.relation as string)!).add(id);
    }
  }
  const named = new Map<string, Map<number, string>>();
  for (const [model, ids] of targets) {
    const known = exported.get(model);
    const rest = [...ids].filter((id) => !known?.has(id));
    named.set(model, new Map([...(known ?? []), ...(await externalIds(client, model, rest))]));
  }
  const sets: ExportedRows[] = [];
  let generated = 0;
  for (const { scope, fields, rows, xmlIds, madeUp } of read) {
    // Its argument is `fields` in Odoo 19, `fields_list` before (seen on real 17; 16 and 18's source say so too).
    const argument = (await client.version()).major >= 19 ? "fields" : "fields_list";
    const defaults = await client.call<Record<string, unknown>>(scope.model, "default_get", { [argument]: fields.map((f) => f.name) });
    const set: ExportedRows = { model: scope.model, rows: {}, adoptIds: {} };
    for (const row of rows) {
      const xmlId = xmlIds.get(row.id as number)!;
      if (madeUp.has(row.id as number)) {
        set.adoptIds[xmlId] = row.id as number;
        generated++;
      }
      const values: Record<string, unknown> = {};
      for (const field of fields) {
        const raw = field.ttype === "many2one" ? (idsOf(row[field.name])[0] ?? false) : field.relation ? idsOf(row[field.name]) : row[field.name];
        if (isDefault(raw, defaults[field.name])) continue;
        values[field.name] = field.relation ? reference(raw, field, named.get(field.relation as string), scope.model, xmlId, notes) : raw;
      }
      set.rows[xmlId] = values;
    }
    sets.push(set);
  }
  return { sets, database: generated ? await databaseUuid(client) : undefined };
}

/** The fields a person sets: stored, not computed or related, not read-only, not Odoo's bookkeeping. */
async function writableFields(client: OdooClient, model: string): Promise<FieldRow[]> {
  const [known] = await client.call<{ id: number }[]>("ir.model", "search_read", { domain: [["model", "=", model]], fields: ["id"] });
  if (!known) throw new ExportInputError(`--records ${model}: there is no model '${model}' in this database`);
  const rows = await client.call<(FieldRow & { store: boolean; readonly: boolean; compute: string | false; related: string | false })[]>(
    "ir.model.fields",
    "search_read",
    {
      domain: [["model_id", "=", known.id]],
      fields: ["name", "ttype", "relation", "state", "store", "readonly", "compute", "related"],
      order: "id",
    },
  );
  return rows
    .filter((f) => f.store && !f.readonly && !f.compute && !f.related && !BOOKKEEPING.has(f.name) && !SKIPPED_TYPES.has(f.ttype))
    .filter((f) => !/^(message_|activity_|website_message)/.test(f.name))
    .sort((a, b) => Number(addedLater(a)) - Number(addedLater(b)) || (addedLater(a) ? a.name.localeCompare(b.name) : 0))
    .map(({ name, ttype, relation, state }) => ({ name, ttype, state, relation: ttype === "many2one" || ttype === "many2many" ? relation : false }));
}

/**
 * A custom field added to the model (not its x_name): written after the model's own, by name, since
 * the order a program made them in (in parallel) is not the order a person did.
 */
function addedLater(field: FieldRow): boolean {
  return field.state === "manual" && field.name !== "x_name";
}

/** The external ids of records of `model`, by record id (those without one left out). */
export async function externalIds(client: OdooClient, model: string, ids: number[]): Promise<Map<number, string>> {
  // get_external_id answers "" (or false) for a record without one.
  return new Map([...(await xmlIdsOf(client, model, ids))].filter(([, xmlId]) => !!xmlId));
}

function idsOf(value: unknown): number[] {
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === "number" && typeof value[1] === "string") return [value[0]];
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === "number");
  return typeof value === "number" ? [value] : [];
}

/** A many2one or many2many value with each record by external id; one without is kept as its id, and said. */
function reference(value: unknown, field: FieldRow, named: Map<number, string> | undefined, model: string, xmlId: string, notes: string[]): unknown {
  const one = (id: number): unknown => {
    const target = named?.get(id);
    if (target) return { __odooRef: target } satisfies Ref;
    notes.push(
      `${model} '${xmlId}': ${field.name} names ${field.relation} ${id}, which has no external id (kept as its id, which differs in another database)`,
    );
    return id;
  };
  if (field.ttype === "many2one") return value === false ? false : one(value as number);
  return (value as number[]).map(one);
}

/**
 * Left out: an empty value where the field's default is empty too, and true where it defaults to
 * true (active). Anything else is written, even when it equals a default: a default may be drawn
 * anew for each record (a partner tag's color is random), and a value written as it is changes
 * nothing on the first up.
 */
function isDefault(value: unknown, fallback: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === false || v === "" || (Array.isArray(v) && v.length === 0);
  if (empty(value)) return empty(fallback);
  return value === true && fallback === true;
}
