import { OdooError } from "./client/errors";
import { OdooClient } from "./client/odoo-client";
import { type ConnectionInput, programSettings, resolveTarget } from "./config";
import { resolveXmlId } from "./internal/xmlid";

// Data sources: read Odoo from a program (ids of existing records, reference data). They run in
// the program's process, with the stack's odoo:* configuration or an explicit connection.

/** What getRecord reads: one record, by external id or by id. */
export interface GetRecordArgs {
  /** The model, e.g. "res.country". */
  model: string;
  /** The record's external id, e.g. "base.be" (give this or id). */
  xmlId?: string;
  /** The record's id (give this or xmlId). */
  id?: number;
  /** The fields to read; default: display_name. */
  fields?: string[];
  /** The server, database and key, above the stack's odoo:* configuration. */
  connection?: ConnectionInput;
}

/** What getRecords reads: the records of a model that match a domain. */
export interface GetRecordsArgs {
  /** The model, e.g. "res.partner". */
  model: string;
  /** An Odoo domain, e.g. [["is_company", "=", true]]. */
  domain?: unknown[];
  /** The fields to read; default: display_name. */
  fields?: string[];
  /** The sort order, e.g. "name asc"; default: the model's. */
  order?: string;
  /** At most this many records (all when left out); fetched in pages. */
  limit?: number;
  /** The server, database and key, above the stack's odoo:* configuration. */
  connection?: ConnectionInput;
}

const PAGE_SIZE = 200;

/** One record by external id or id; fails clearly when it does not exist. */
export async function getRecord(args: GetRecordArgs): Promise<Record<string, unknown> & { id: number }> {
  if ((args.xmlId === undefined) === (args.id === undefined)) throw new OdooError("ODOO_CONFIG", "getRecord needs exactly one of xmlId and id");
  const client = programClient(args.connection);
  try {
    const id = args.xmlId ? await resolveXmlId(client, args.xmlId, args.model) : args.id!;
    const [row] = await client.call<(Record<string, unknown> & { id: number })[]>(args.model, "read", { ids: [id], fields: args.fields ?? ["display_name"] });
    if (!row) throw new OdooError("ODOO_MISSING", `${args.model} record ${args.xmlId ?? id} does not exist`);
    return row;
  } finally {
    await client.close();
  }
}

/** The records matching a domain, read page by page. */
export async function getRecords(args: GetRecordsArgs): Promise<(Record<string, unknown> & { id: number })[]> {
  const client = programClient(args.connection);
  const rows: (Record<string, unknown> & { id: number })[] = [];
  try {
    for (let offset = 0; args.limit === undefined || rows.length < args.limit; offset += PAGE_SIZE) {
      const limit = Math.min(PAGE_SIZE, (args.limit ?? Infinity) - rows.length);
      const page = await client.call<(Record<string, unknown> & { id: number })[]>(args.model, "search_read", {
        domain: args.domain ?? [],
        fields: args.fields ?? ["display_name"],
        order: args.order ?? "id",
        offset,
        limit,
      });
      rows.push(...page);
      if (page.length < limit) break;
    }
    return rows;
  } finally {
    await client.close();
  }
}

function programClient(connection?: ConnectionInput): OdooClient {
  const target = resolveTarget(
    connection ?? {},
    ["url", "apiKey"],
    "getRecord and getRecords",
    { url: "connection.url", apiKey: "connection.apiKey" },
    programSettings(),
  );
  return new OdooClient({ url: target.url, apiKey: target.apiKey, database: target.database, login: target.login });
}
