import { Batcher, type BatchWindow, keyOf, type Outcome, sendSplitting } from "../client/batcher";
import type { OdooClient } from "../client/odoo-client";
import { changesSchema } from "../client/schema-gate";
import { fromOdoo } from "../values";

// The engine runs a program's steps in parallel: hundreds of Records of one model are created,
// read, written and deleted at about the same time. Their calls are gathered per server, database
// and model and go to Odoo as one (batcher.ts): one `create` with a vals_list, one `read`, one
// `unlink`, one `write` for the records given the same values, one registration of external ids.

/** A refresh's reads arrive over some milliseconds: gathered until none has come for 40 ms, 2,000 rows a read. */
const REFRESH_WINDOW: BatchWindow = { quietMs: 40, maxWaitMs: 1000, maxItems: 2000, goWhenIdle: false };

interface OnRecord {
  client: OdooClient;
  model: string;
  id: number;
}

type Row = Record<string, unknown>;

function readBatch(_key: string, items: (OnRecord & { fields: string[] })[]): Promise<Outcome<Row | undefined>[]> {
  const { client, model } = items[0];
  const ids = [...new Set(items.map((item) => item.id))];
  const fields = [...new Set(items.flatMap((item) => item.fields))];
  return client.call<Row[]>(model, "read", { ids, fields, load: null }).then((rows) => {
    const byId = new Map(rows.map((row) => [row.id as number, row]));
    return items.map((item) => ({ value: byId.get(item.id) }));
  });
}

const refreshReads = new Batcher(readBatch, REFRESH_WINDOW);
const applyReads = new Batcher(readBatch);

/**
 * Reads one record's fields, with the other reads of its model that arrive together; undefined
 * when it is gone. `refresh` waits longer for company (the engine reads every resource at once).
 */
export function readCoalesced(client: OdooClient, model: string, id: number, fields: string[], refresh = false): Promise<Row | undefined> {
  return (refresh ? refreshReads : applyReads).add(keyOf(client, model), { client, model, id, fields });
}

/**
 * One call of `method` on the ids of a batch's records (whose other arguments, `vals` for a write,
 * are the same for all of them: they share the batch's key), split down to the records at fault.
 * A schema change never joins a batch: it goes alone, when the schema gate lets it.
 */
function callOnIds<T extends OnRecord>(method: "write" | "unlink", args: (item: T) => Row = () => ({})) {
  const send = (part: T[]) => part[0].client.call(part[0].model, method, { ids: part.map((item) => item.id), ...args(part[0]) });
  const batcher = new Batcher((_key: string, items: T[]) =>
    sendSplitting(items, async (part) => {
      await send(part);
      return part.map(() => ({ value: undefined }));
    }),
  );
  return (key: string, item: T): Promise<void> => (changesSchema(item.model, method) ? send([item]).then(() => undefined) : batcher.add(key, item));
}

const write = callOnIds<OnRecord & { vals: Row }>("write", (item) => ({ vals: item.vals }));
const unlink = callOnIds<OnRecord>("unlink");

/** Writes `vals` to one record, in one `write` with the records of its model given the same values. */
export function writeCoalesced(client: OdooClient, model: string, id: number, vals: Row): Promise<void> {
  return write(`${keyOf(client, model)}\u0000${stableJson(vals)}`, { client, model, id, vals });
}

/** Deletes one record, in one `unlink` with the other deletes of its model that arrive together. */
export function unlinkCoalesced(client: OdooClient, model: string, id: number): Promise<void> {
  return unlink(keyOf(client, model), { client, model, id });
}

/**
 * What a record taken over holds of the declared fields, in the program's shapes (read with the
 * other records' of its model): a field Odoo holds as declared reads as declared. Undefined when
 * the record is gone.
 */
export async function heldByOdoo(client: OdooClient, model: string, id: number, declared: Row): Promise<Row | undefined> {
  const row = await readCoalesced(client, model, id, Object.keys(declared));
  return row && fromOdoo(declared, row, asStored(declared));
}

/** Declared values as `read` answers them when Odoo stores them as written (an empty value as false). */
export function asStored(declared: Row): Row {
  return Object.fromEntries(Object.entries(declared).map(([name, value]) => [name, value === null ? false : value]));
}

const xmlIdRegistrations = new Batcher((_key: string, items: { client: OdooClient; vals: Row }[]) =>
  sendSplitting(items, async (part) => {
    const ids = await part[0].client.call<number[]>("ir.model.data", "create", { vals_list: part.map((item) => item.vals) });
    return ids.map((value) => ({ value }));
  }),
);

/** Registers an external id for a record, in one `create` with the others made at the same time. */
export function registerXmlId(client: OdooClient, xmlId: string, model: string, resId: number): Promise<number> {
  const [module, ...rest] = xmlId.split(".");
  // noupdate: a module upgrade must not reset what Pulumi manages.
  const vals = { module, name: rest.join("."), model, res_id: resId, noupdate: true };
  return xmlIdRegistrations.add(keyOf(client, "ir.model.data"), { client, vals });
}

/** JSON with sorted keys: two writes of the same values share a batch whatever their order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Row)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
