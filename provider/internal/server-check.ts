import { isOdooError } from "../client/errors";
import type { OdooClient } from "../client/odoo-client";
import { clientFor, type ConnectionInput, effectiveTarget, hasConnection } from "../config";
import { isUnknown } from "./check";
import type { CheckFailure } from "./failure";

// What `pulumi preview` can ask the server, when a connection is configured: whether the key is
// accepted, and whether a name a create would take is free. A server that cannot be reached at
// preview is not judged here (up says why); a key it refuses is, since nothing could be applied.

const verdicts = new WeakMap<OdooClient, Promise<CheckFailure | undefined>>();

/** Whether preview can ask the server: a connection is configured, and none of it is another resource's output still unknown. */
export function canAskServer(connection: ConnectionInput | undefined): boolean {
  return waitingParts(connection).length === 0 && hasConnection(connection);
}

/**
 * The parts of a connection that are another resource's outputs still unknown (at preview: a
 * database this program creates, and its key). Empty when the connection is known, or absent.
 */
export function waitingParts(connection: ConnectionInput | undefined): string[] {
  if (isUnknown(connection)) return ["connection"];
  return Object.entries(connection ?? {})
    .filter(([, value]) => isUnknown(value))
    .map(([key]) => `connection.${key}`);
}

/**
 * The connection's problem as a check failure (asked once per server, database and key), or
 * undefined. A connection still unknown at preview is not asked: the engine checks the resource
 * again once its inputs are known, before anything of it is written (the program says so under the
 * resource at preview: see OdooResource).
 */
export function connectionFailure(connection: ConnectionInput | undefined): Promise<CheckFailure | undefined> {
  if (!canAskServer(connection)) return Promise.resolve(undefined);
  const client = clientFor(connection);
  let verdict = verdicts.get(client);
  if (!verdict) {
    verdict = client.call("res.users", "context_get").then(
      () => undefined,
      (error) => {
        if (!isOdooError(error, "ODOO_UNAUTHORIZED", "ODOO_DATABASE_NOT_SELECTED", "ODOO_CONFIG", "ODOO_ACCESS_DENIED")) return undefined;
        const where = `${client.connection.url}${client.connection.database ? ` (database '${client.connection.database}')` : ""}`;
        const own = connection?.apiKey !== undefined || connection?.url !== undefined;
        return { property: "connection", reason: `${where} refused the ${own ? "resource's connection" : "stack's odoo:* configuration"}: ${error.message}` };
      },
    );
    verdicts.set(client, verdict);
  }
  return verdict;
}

/**
 * Names a resource of this program already holds in Odoo, by target, as checks with old inputs saw
 * them. The engine checks a resource that it will replace a second time, with no old inputs (as a
 * create): a replacement that keeps its name (the old one deleted first) must not be refused for
 * the name its own old copy holds.
 */
const heldNames = new Set<string>();

/** A name a resource gives itself in Odoo, as check sees it. */
export interface ResourceName {
  /** The property that holds it. */
  property: string;
  /** The name in words, e.g. "field 'res.partner.x_code'". */
  what: string;
  /** The table Odoo keeps it in, for the sentence. */
  table: string;
  /** The name is new to this resource (a create, or a rename): the old inputs held another. */
  isNew: boolean;
  adopt?: boolean;
}

/**
 * Once connectionFailure found nothing: a failure when a name new to the resource is taken in Odoo
 * and adopt is not set. A name the old inputs held is remembered as this program's. `find` looks the
 * name up; undefined when it is free (or cannot be asked).
 */
export async function nameTaken(
  connection: ConnectionInput | undefined,
  name: ResourceName,
  find: (client: OdooClient) => Promise<number | undefined>,
): Promise<CheckFailure | undefined> {
  const key = `${effectiveTarget(connection)}\u0000${name.what}`;
  if (!name.isNew) heldNames.add(key);
  if (!name.isNew || name.adopt || heldNames.has(key) || !canAskServer(connection)) return undefined;
  const id = await find(clientFor(connection)).catch(() => undefined);
  if (id === undefined) return undefined;
  return {
    property: name.property,
    reason: `${name.what} already exists in Odoo (${name.table} id ${id}): set adopt: true to take it over, or choose another name`,
  };
}
