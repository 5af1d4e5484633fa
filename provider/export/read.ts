import type { OdooClient } from "../client/odoo-client";
import { readField, type HeldField } from "../resources/custom-field/ir-model-fields";
import { readAccess } from "../resources/custom-model/ir-model";
import type { AccessRule } from "../resources/custom-model";
import { type ExportedRows, readRecords, type RecordsScope } from "./records";
import { type FreshValue, readChangedSettings } from "./settings";
import { databaseUuid } from "../rows/xml-ids";
import { type ExportedUi, type ExportedUiRecord, readUis } from "./ui";

// What `pulumi-odoo export` reads of a database: its custom models with their access rules, every
// custom field, how those models show in the web client (ui.ts), the modules a person installed,
// the settings that differ from a fresh database's (settings.ts) and the rows of the models asked
// for (records.ts). Nothing here knows of Pulumi:
// program.ts writes it.

/** What to read. */
export interface ExportScope {
  /** Globs of the custom models to export (`*` any run of characters), e.g. ["x_*"]. */
  models: string[];
  /** Whether to export the installed modules a person chose. */
  modules: boolean;
  /** Whether to export the settings that differ from a fresh database's. */
  settings: boolean;
  /** Models whose rows to export, each with a domain. */
  records: RecordsScope[];
  /** The most rows a model's export may have. */
  limit: number;
}

export interface ExportedModel {
  model: string;
  name: string;
  description?: string;
  order?: string;
  transient: boolean;
  access: AccessRule[];
}

export interface DatabaseSnapshot {
  /** Odoo's version, e.g. "19.0". */
  version: string;
  /** Every custom model of the database, exported or not. */
  customModels: string[];
  models: ExportedModel[];
  /** Custom fields: on the exported models, and on Odoo's own (res.partner's x_ fields). */
  fields: HeldField[];
  /** The exported models' views, actions and menus that are a ModelUi's... */
  uis: ExportedUi[];
  /** ...and the others, as Records. */
  uiRecords: ExportedUiRecord[];
  /** Installed modules no other installed module needs, and that Odoo does not install by itself. */
  modules: string[];
  /** Rows of the models --records names. */
  records: ExportedRows[];
  /** The Settings form's values that differ from a fresh database's, records by external id. */
  settings: Record<string, FreshValue>;
  /** The database's uuid, where rows without an external id are taken over by id. */
  databaseUuid?: string;
  /** What could not be exported, a sentence each (the program says them in comments). */
  notes: string[];
}

/** Fields a new custom model has before any CustomField (a CustomModel makes them). */
const MODEL_OWN_FIELDS = new Set(["x_name"]);

export async function readDatabase(client: OdooClient, scope: ExportScope): Promise<DatabaseSnapshot> {
  const notes: string[] = [];
  const { version, major } = await client.version();
  const custom = await client.call<{ id: number; model: string; name: string; info: string | false; order: string; transient: boolean }[]>(
    "ir.model",
    "search_read",
    {
      domain: [["state", "=", "manual"]],
      fields: ["model", "name", "info", "order", "transient"],
      order: "model",
    },
  );
  const wanted = custom.filter((row) => scope.models.some((glob) => globMatches(glob, row.model)));
  const models: ExportedModel[] = [];
  for (const row of wanted) models.push(await exportedModel(client, row, notes));
  const customModels = new Set(custom.map((row) => row.model));
  const exported = new Set(models.map((m) => m.model));
  const fieldRows = await client.call<{ id: number; model: string; name: string }[]>("ir.model.fields", "search_read", {
    domain: [["state", "=", "manual"]],
    fields: ["model", "name"],
    // By name, not by id: the order a program made them in is not the order a person did.
    order: "model, name",
  });
  const fields: HeldField[] = [];
  for (const row of fieldRows) {
    if (customModels.has(row.model) ? !exported.has(row.model) || MODEL_OWN_FIELDS.has(row.name) : false) continue;
    const held = await readField(client, row.id);
    if (held) fields.push(held);
  }
  const { uis, records: uiRecords } = await readUis(
    client,
    models.map((m) => m.model),
    notes,
  );
  const modules = scope.modules ? await chosenModules(client) : [];
  const settings = scope.settings ? await readChangedSettings(client, major, notes) : {};
  const { sets, database } = await readRecords(client, scope.records, scope.limit, notes);
  // Record ids are taken over in this database alone: the program names it by its uuid.
  const uuid = database ?? (uiRecords.some((record) => record.adoptId) ? await databaseUuid(client) : undefined);
  return { version, customModels: custom.map((row) => row.model), models, fields, uis, uiRecords, modules, settings, records: sets, databaseUuid: uuid, notes };
}

/** An ir.model row as a person declares it, with its access rules (those it can name). */
export async function exportedModel(
  client: OdooClient,
  row: { id: number; model: string; name: string; info: string | false; order: string; transient: boolean },
  notes: string[],
): Promise<ExportedModel> {
  const access: AccessRule[] = [];
  for (const { group, read, write, create, unlink } of await readAccess(client, row.id)) {
    if (!group || group.startsWith("__id__.")) {
      notes.push(`an access rule of ${row.model} ${group ? "names a group without an external id" : "has no group (it applies to everyone)"}: not exported`);
    } else access.push({ group, read, write, create, unlink });
  }
  return {
    model: row.model,
    name: row.name,
    ...(row.info ? { description: row.info } : {}),
    ...(row.order && row.order !== "id" ? { order: row.order } : {}),
    transient: row.transient,
    access,
  };
}

/** `*` any run of characters, `?` one; the rest as written. */
export function globMatches(glob: string, name: string): boolean {
  const pattern = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${pattern}$`).test(name);
}

/**
 * The installed modules a person chose: those no other installed module depends on, less those Odoo
 * installs by itself (auto_install). Installing them on a new database brings the rest along.
 */
async function chosenModules(client: OdooClient): Promise<string[]> {
  const known = await client.call<Record<string, unknown>>("ir.module.module", "fields_get", { attributes: ["type"] });
  const installed = await client.call<{ id: number; name: string; auto_install?: boolean }[]>("ir.module.module", "search_read", {
    domain: [["state", "=", "installed"]],
    fields: ["name", ...("auto_install" in known ? ["auto_install"] : [])],
    order: "name",
  });
  const needed = new Set(
    (
      await client.call<{ name: string }[]>("ir.module.module.dependency", "search_read", {
        domain: [["module_id", "in", installed.map((m) => m.id)]],
        fields: ["name"],
      })
    ).map((dependency) => dependency.name),
  );
  return installed.filter((m) => !needed.has(m.name) && !m.auto_install).map((m) => m.name);
}
