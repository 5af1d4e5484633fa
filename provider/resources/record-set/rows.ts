import { isOdooError } from "../../client/errors";
import { fieldsOf, type FieldInfo } from "../../client/fields";
import type { OdooClient } from "../../client/odoo-client";
import { same } from "../../internal/diff";
import { createRecord } from "../../rows/create";
import { lookupXmlId } from "../../internal/xmlid";
import { asStored, heldByOdoo, readCoalesced, unlinkCoalesced, writeCoalesced } from "../../rows/batch";
import { databaseUuid, registerNewXmlId, registerXmlIdOnce } from "../../rows/xml-ids";
import { fieldType, fromOdoo, isRef, type OdooRef, storedForm, toOdoo } from "../../values";
import { inSetRefs, type RecordSetInputs, type RecordSetOutputs } from "./inputs";

// A RecordSet's rows in Odoo, each as Record applies one, all at once: their calls are gathered
// (rows/batch.ts), so that a thousand rows go as a few creates, registrations of external ids,
// writes (one per set of equal values), reads and unlinks. Rows that name each other go in waves.

/** The outcome of applying rows: what the state then holds, and the rows that failed. */
export interface Applied {
  ids: Record<string, number>;
  records: Record<string, Record<string, unknown>>;
  applied: Record<string, Record<string, unknown>>;
  failed: { xmlId: string; reason: string }[];
}

/**
 * Brings the rows `toApply` to their declared values: rows this resource has not made are adopted
 * when their external id exists, made otherwise. The state's other rows are kept as they were.
 */
export async function applyRows(client: OdooClient, args: RecordSetInputs, previous: Partial<RecordSetOutputs>, toApply: string[]): Promise<Applied> {
  const fields = (await fieldsOf(client, args.model)) ?? {};
  const result: Applied = { ids: {}, records: {}, applied: {}, failed: [] };
  for (const [xmlId, id] of Object.entries(previous.ids ?? {})) {
    if (!(xmlId in args.records)) continue;
    result.ids[xmlId] = id;
    result.records[xmlId] = previous.records?.[xmlId] ?? {};
    if (previous.applied?.[xmlId]) result.applied[xmlId] = previous.applied[xmlId];
  }
  const adopted = new Set<string>();
  await Promise.all(
    toApply
      .filter((xmlId) => result.ids[xmlId] === undefined)
      .map(async (xmlId) => {
        const found = await lookupXmlId(client, xmlId);
        if (found && found.model !== args.model) fail(result, xmlId, `external id '${xmlId}' already names a ${found.model} record, not a ${args.model} one`);
        else if (found) {
          result.ids[xmlId] = found.res_id;
          adopted.add(xmlId);
        }
      }),
  );
  await adoptById(client, args, toApply, result, adopted);
  const outside = new Map<string, Promise<number | undefined>>();
  const refId = (r: OdooRef): Promise<number | undefined> => {
    if (r.__odooRef in args.records) return Promise.resolve(result.ids[r.__odooRef]);
    if (!outside.has(r.__odooRef))
      outside.set(
        r.__odooRef,
        lookupXmlId(client, r.__odooRef).then((row) => row?.res_id),
      );
    return outside.get(r.__odooRef)!;
  };
  let pending = toApply.filter((xmlId) => !result.failed.some((f) => f.xmlId === xmlId));
  while (pending.length) {
    const waiting = new Set(pending);
    const wave = pending.filter((xmlId) => inSetRefs(args.records, xmlId).every((target) => !waiting.has(target) || target === xmlId));
    // Every row of the wave made ready first, then sent in the order declared: the rows a create
    // makes together get their ids in that order (a model ordered by id lists them so).
    const ready = await Promise.all(
      wave.map((xmlId) =>
        prepareRow(client, args, fields, xmlId, adopted.has(xmlId) ? undefined : (previous.records?.[xmlId] ?? {}), result, refId).catch((error) => {
          fail(result, xmlId, (error as Error).message);
          return undefined;
        }),
      ),
    );
    await Promise.all(
      wave.map(
        (xmlId, index) =>
          ready[index] && applyRow(client, args, fields, xmlId, ready[index], result).catch((error) => fail(result, xmlId, (error as Error).message)),
      ),
    );
    pending = pending.filter((xmlId) => !wave.includes(xmlId));
    // Rows naming a row that failed fail with it.
    for (const xmlId of pending) {
      const missing = inSetRefs(args.records, xmlId).find((target) => result.failed.some((f) => f.xmlId === target));
      if (missing) fail(result, xmlId, `it names '${missing}', which could not be applied`);
    }
    pending = pending.filter((xmlId) => !result.failed.some((f) => f.xmlId === xmlId));
  }
  return result;
}

/**
 * Rows whose external id does not exist, given a record id in `adoptIds` (what export writes for
 * records that had none): in the database those ids are of alone, the record is given the row's
 * external id and taken over. A record gone since is made anew; elsewhere every such row is made.
 */
async function adoptById(client: OdooClient, args: RecordSetInputs, toApply: string[], result: Applied, adopted: Set<string>): Promise<void> {
  const wanted = toApply.filter((xmlId) => result.ids[xmlId] === undefined && args.adoptIds?.ids[xmlId] !== undefined && !failed(result, xmlId));
  if (!wanted.length || (await databaseUuid(client)) !== args.adoptIds!.database) return;
  await Promise.all(
    wanted.map(async (xmlId) => {
      const id = args.adoptIds!.ids[xmlId];
      try {
        if (!(await readCoalesced(client, args.model, id, ["id"]))) return;
        await registerXmlIdOnce(client, xmlId, args.model, id);
        result.ids[xmlId] = id;
        adopted.add(xmlId);
      } catch (error) {
        fail(result, xmlId, (error as Error).message);
      }
    }),
  );
}

function failed(result: Applied, xmlId: string): boolean {
  return result.failed.some((f) => f.xmlId === xmlId);
}

function fail(result: Applied, xmlId: string, reason: string): void {
  result.failed.push({ xmlId, reason });
}

/** A row's values resolved (odoo.ref to ids), and what of them differs from what Odoo holds or held. */
interface ReadyRow {
  declared: Record<string, unknown>;
  written: Record<string, unknown>;
}

/**
 * One row made ready: its values resolved and compared with what it had (all of them when it is
 * made; with what Odoo holds when adopted, `given` undefined).
 */
async function prepareRow(
  client: OdooClient,
  args: RecordSetInputs,
  fields: Record<string, FieldInfo>,
  xmlId: string,
  given: Record<string, unknown> | undefined,
  result: Applied,
  refId: (r: OdooRef) => Promise<number | undefined>,
): Promise<ReadyRow> {
  const declared = await resolved(args.records[xmlId], refId);
  const before = given ?? (await heldByOdoo(client, args.model, result.ids[xmlId], declared)) ?? {};
  const changed = Object.fromEntries(Object.entries(declared).filter(([name, value]) => !same(before[name], value)));
  // Resolved already: toOdoo only makes lists set commands and null false.
  return { declared, written: await toOdoo(client, changed, fields) };
}

/**
 * Makes the row (its create sent before any other await: see the waves above) or writes what
 * differs, then reads back what Odoo stores otherwise.
 */
async function applyRow(
  client: OdooClient,
  args: RecordSetInputs,
  fields: Record<string, FieldInfo>,
  xmlId: string,
  { declared, written }: ReadyRow,
  result: Applied,
): Promise<void> {
  let id = result.ids[xmlId];
  if (id === undefined) {
    id = await createRecord(client, args.model, written, fields);
    await registerNewXmlId(client, xmlId, args.model, id);
  } else if (Object.keys(written).length) {
    await writeCoalesced(client, args.model, id, written);
  }
  const normalised = Object.keys(written).filter((name) => !fields[name] || fieldType(fields[name].type).normalised);
  const applied: Record<string, unknown> = { ...(result.applied[xmlId] ?? {}) };
  if (normalised.length) {
    const row = await readCoalesced(client, args.model, id, normalised);
    for (const name of normalised) {
      if (row && !same(row[name], storedForm(written[name]))) applied[name] = row[name];
      else delete applied[name];
    }
  }
  result.ids[xmlId] = id;
  result.records[xmlId] = declared;
  if (Object.keys(applied).length) result.applied[xmlId] = applied;
  else delete result.applied[xmlId];
}

/** A row's values with every odoo.ref replaced by its record's id (one not found yet is refused). */
async function resolved(values: Record<string, unknown>, refId: (r: OdooRef) => Promise<number | undefined>): Promise<Record<string, unknown>> {
  const one = async (value: unknown) => {
    if (!isRef(value)) return value;
    const id = await refId(value);
    if (id === undefined) throw new Error(`external id '${value.__odooRef}' does not exist in this database`);
    return id;
  };
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) out[name] = Array.isArray(value) ? await Promise.all(value.map(one)) : await one(value);
  return out;
}

/** What Odoo holds of each row, in the program's shapes; rows gone from Odoo are left out. */
export async function readRows(client: OdooClient, args: RecordSetOutputs): Promise<Pick<RecordSetOutputs, "ids" | "records">> {
  const ids: Record<string, number> = {};
  const records: Record<string, Record<string, unknown>> = {};
  await Promise.all(
    Object.entries(args.ids).map(async ([xmlId, id]) => {
      const declared = args.records[xmlId] ?? {};
      const row = await readCoalesced(client, args.model, id, Object.keys(declared), true);
      if (!row) return;
      // What the last apply left, per declared field: Odoo's own form where it stores one otherwise.
      ids[xmlId] = id;
      records[xmlId] = fromOdoo(declared, row, { ...asStored(declared), ...args.applied?.[xmlId] });
    }),
  );
  return { ids, records };
}

/** Removes the rows (or archives them, or leaves them, per onDelete); the ones that could not be are answered. */
export async function removeRows(
  client: OdooClient,
  model: string,
  ids: Record<string, number>,
  onDelete: RecordSetInputs["onDelete"],
): Promise<{ xmlId: string; reason: string }[]> {
  if (onDelete === "keep") return [];
  const failed: { xmlId: string; reason: string }[] = [];
  await Promise.all(
    Object.entries(ids).map(([xmlId, id]) =>
      (onDelete === "archive" ? writeCoalesced(client, model, id, { active: false }) : unlinkCoalesced(client, model, id)).catch((error) => {
        if (!isOdooError(error, "ODOO_MISSING")) failed.push({ xmlId, reason: (error as Error).message });
      }),
    ),
  );
  return failed;
}
