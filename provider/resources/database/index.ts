import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DbManagerError, isOdooError, mayHaveApplied, OdooError } from "../../client/errors";
import { makeApiKey } from "../../client/api-keys";
import { databaseKey, OdooClient } from "../../client/odoo-client";
import { adopting, type ConnectionArgs, mergeTarget, resolveTarget } from "../../config";
import { DbManagerClient } from "../../dbmanager/db-manager-client";
import { checkInputs } from "../../internal/check";
import { createOnce, deleteOnce } from "../../internal/unknown-outcome";
import { diffInputs } from "../../internal/diff";
import { compact, progress, GONE, OdooResource, implementation } from "../../internal/resource";
import { type DatabaseInputs, type DatabaseOutputs, inputsSchema, replaceOn, sourceRules } from "./inputs";

// Database: the database manager /web/database/* (odoo19-facts §6): a fresh database, a copy of
// another, or a restore from a backup file; guarded drops.

/** The properties of a Database: exactly one source (copyFrom, restoreFrom, or neither for a fresh one). */
export interface DatabaseArgs {
  /** Letters, digits, _ . - (Odoo's rule). Replaces on change. */
  name: pulumi.Input<string>;
  /** The master password; default: odoo:masterPassword (ODOO_MASTER_PASSWORD). */
  masterPassword?: pulumi.Input<string>;
  /** Duplicate this database. */
  copyFrom?: pulumi.Input<string>;
  /** Neutralize the copy (no outgoing mail, crons, payment providers…). Default: true for copyFrom, false for restoreFrom. */
  neutralize?: pulumi.Input<boolean>;
  /** Restore from this backup file (.zip or .dump), streamed. */
  restoreFrom?: pulumi.Input<string>;
  /** The restored database is a copy (it gets a new uuid). Default: true. */
  copy?: pulumi.Input<boolean>;
  /** A fresh database: the admin user's login (default "admin"). */
  adminLogin?: pulumi.Input<string>;
  /** A fresh database: the admin user's password (required; a secret, used at creation and to make the apiKey output). */
  adminPassword?: pulumi.Input<string>;
  /** A fresh database: its language, e.g. "en_US" (the default). */
  lang?: pulumi.Input<string>;
  /** A fresh database: its country, e.g. "BE" (sets the company's country and chart of accounts). */
  countryCode?: pulumi.Input<string>;
  /** A fresh database: the company's phone number. */
  phone?: pulumi.Input<string>;
  /** A fresh database: load demo data (default false). */
  demo?: pulumi.Input<boolean>;
  /** Before a destroy drops it, write a backup (zip) into this directory; the drop is aborted if it fails. */
  backupBeforeDrop?: pulumi.Input<string>;
  /** Default true: destroy and replacement refuse to drop the database until this is applied as false. */
  deletionProtection?: pulumi.Input<boolean>;
  /** Take over a database of that name that already exists instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /** The server (default odoo:url) and an API key valid in the new database, to read its uuid. */
  connection?: pulumi.Input<Pick<ConnectionArgs, "url" | "apiKey">>;
}

export const databaseProvider = implementation<DatabaseInputs, DatabaseOutputs>({
  async check(_olds, news) {
    return checkInputs(inputsSchema(), news, sourceRules);
  },

  async diff(_id, olds, news) {
    // The admin password is used at creation only: changing it later changes nothing in Odoo.
    return diffInputs(olds, news, replaceOn, { ignore: ["adminPassword"], deleteBeforeReplace: olds.name === news.name });
  },

  async create(args) {
    const manager = managerFor(args);
    const started = Date.now();
    const source = sourceOf(args);
    if (await manager.exists(args.name)) {
      if (!adopting(args.adopt))
        throw new OdooError("ODOO_VALIDATION", `database '${args.name}' already exists: set adopt: true to take it over, or choose another name`);
      // Taken over with a key of its own, as one made here has: what depends on it works at once.
      const apiKey = source === "fresh" ? await adoptedKey(manager.url, args) : undefined;
      return { id: args.name, outs: await readOutputs({ ...args, apiKey }, source, new Date(started).toISOString()) };
    }
    progress(`database '${args.name}': ${describe(args)}${source === "fresh" ? " (a real server takes about 20 s)" : ""}…`);
    let apiKey: string | undefined;
    try {
      await createOnce(
        `database '${args.name}'`,
        () => make(manager, args, source).then(() => true),
        async () => (await manager.exists(args.name)) || undefined,
      );
      // JSON-2 takes only API keys, and a fresh database has none: its admin makes one.
      if (source === "fresh")
        apiKey = await makeApiKey({
          url: manager.url,
          database: args.name,
          login: args.adminLogin ?? "admin",
          password: args.adminPassword!,
          description: "pulumi-odoo",
        });
    } catch (error) {
      const made = source === "copy" ? await copyMadeWhole(manager, args, error) : undefined;
      if (!made) throw await cleanUpAfterFailure(manager, args.name, error);
      progress(
        `database '${args.name}': Odoo answered the duplicate with HTTP 500 and no message, but the copy is whole (a uuid of its own${(args.neutralize ?? true) ? ", neutralized" : ""}): carrying on with it`,
      );
      return { id: args.name, outs: made };
    }
    progress(`database '${args.name}' ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { id: args.name, outs: await readOutputs({ ...args, apiKey }, source, new Date().toISOString()) };
  },

  async read(id, args) {
    if (!(await managerFor(args).exists(id))) return GONE;
    return { id, props: await readOutputs(args, args.source, args.createdAt) };
  },

  async update(_id, previous, news) {
    // Everything that can change in place (protection, backups, the master password) lives in the state.
    return { outs: await readOutputs({ ...news, apiKey: previous.apiKey }, previous.source, previous.createdAt) };
  },

  async delete(id, args) {
    if (args.deletionProtection !== false) {
      throw new OdooError(
        "ODOO_USER_ERROR",
        `database '${id}' is protected from deletion: set deletionProtection: false and run pulumi up first, then destroy (or replace) it`,
      );
    }
    const manager = managerFor(args);
    if (!(await manager.exists(id))) return;
    if (args.backupBeforeDrop) {
      const dir = path.resolve(args.backupBeforeDrop);
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${id}_${new Date().toISOString().replace(/[:.]/g, "-")}.zip`);
      progress(`database '${id}': backing up to ${file} before dropping it…`);
      try {
        const size = await manager.backup({ name: id, format: "zip" }, file);
        progress(`database '${id}': backup written (${(size / 1024 / 1024).toFixed(1)} MiB)`);
      } catch (error) {
        throw new OdooError("ODOO_DBMANAGER", `database '${id}' was not dropped because its backup failed: ${(error as Error).message}`);
      }
    }
    await deleteOnce(
      `database '${id}'`,
      () => manager.drop(id),
      () => manager.exists(id),
    );
    // The server answers a drop with 303 whether or not it happened (facts §6): check.
    if (await manager.exists(id)) throw new OdooError("ODOO_DBMANAGER", `database '${id}' is still listed after the drop`);
  },
});

function make(manager: DbManagerClient, args: DatabaseInputs, source: DatabaseOutputs["source"]): Promise<void> {
  if (source === "copy") return manager.duplicate(args.copyFrom!, args.name, args.neutralize ?? true);
  if (source === "restore")
    return manager.restore(args.name, path.resolve(args.restoreFrom!), { copy: args.copy ?? true, neutralize: args.neutralize ?? false });
  return manager.create({
    name: args.name,
    login: args.adminLogin ?? "admin",
    password: args.adminPassword!,
    lang: args.lang ?? "en_US",
    phone: args.phone,
    countryCode: args.countryCode,
    demo: args.demo,
  });
}

function sourceOf(args: DatabaseInputs): DatabaseOutputs["source"] {
  return args.copyFrom ? "copy" : args.restoreFrom ? "restore" : "fresh";
}

function describe(args: DatabaseInputs): string {
  if (args.copyFrom) return `duplicating '${args.copyFrom}'${(args.neutralize ?? true) ? ", neutralized" : ""}`;
  if (args.restoreFrom) return `restoring ${args.restoreFrom}`;
  return "creating a fresh database";
}

const managers = new Map<string, DbManagerClient>();

function managerFor(args: DatabaseInputs): DbManagerClient {
  const given = { url: args.connection?.url, masterPassword: args.masterPassword };
  const { url, masterPassword } = resolveTarget(given, ["url", "masterPassword"], `database '${args.name}'`, {
    url: "its connection.url",
    masterPassword: "its masterPassword",
  });
  const key = JSON.stringify([databaseKey({ url }), masterPassword]);
  let manager = managers.get(key);
  if (!manager) managers.set(key, (manager = new DbManagerClient(url, masterPassword)));
  return manager;
}

/**
 * A failed create can leave a half-made database (a module init failure, a restore of a bad file):
 * drop it so that a retry can work, and say so.
 */
/**
 * A duplicate Odoo made whole and then answered with a bare 500: seen on a real prefork Odoo 19, whose
 * duplicate closes every connection to the source database, the request's own included, so that
 * saving its session afterwards fails ("cursor already closed"). The copy is whole when the key it
 * keeps reads a uuid of its own in it, neutralized when that was asked (the last steps of Odoo's
 * duplicate); its outputs then, else undefined.
 */
async function copyMadeWhole(manager: DbManagerClient, args: DatabaseInputs, error: unknown): Promise<DatabaseOutputs | undefined> {
  const bare500 = error instanceof DbManagerError && error.status === 500 && error.alert === "HTTP 500 without an error message from Odoo";
  if (!bare500 || !(await manager.exists(args.name).catch(() => false))) return undefined;
  const made = await readOutputs(args, "copy", new Date().toISOString());
  const source = await readOutputs({ ...args, name: args.copyFrom! }, "copy", made.createdAt);
  const whole = made.uuid !== undefined && made.uuid !== source.uuid && (made.neutralized === true || !(args.neutralize ?? true));
  return whole ? made : undefined;
}

async function cleanUpAfterFailure(manager: DbManagerClient, name: string, error: unknown): Promise<unknown> {
  // Odoo may still be working on it: a database that may be whole is never dropped here.
  if (mayHaveApplied(error)) return error;
  const left = await manager.exists(name).catch(() => false);
  if (!left) return error;
  const dropped = await manager.drop(name).then(
    () => manager.exists(name).then((still) => !still),
    () => false,
  );
  const message = (error as Error).message;
  return new OdooError(
    isOdooError(error) ? error.code : "ODOO_DBMANAGER",
    dropped
      ? `${message} (the half-made database '${name}' was dropped, so a retry can work)`
      : `${message} (a half-made database '${name}' is left on the server and could not be dropped: drop it before retrying)`,
  );
}

/**
 * A new API key of the admin of a database taken over, made with adminPassword as at creation; when
 * the password no longer signs in, said, and no key (the dependents' connection must then bring one).
 */
async function adoptedKey(url: string, args: DatabaseInputs): Promise<string | undefined> {
  const login = args.adminLogin ?? "admin";
  try {
    return await makeApiKey({ url, database: args.name, login, password: args.adminPassword!, description: "pulumi-odoo" });
  } catch (error) {
    console.warn(
      `warning: database '${args.name}' taken over, but its admin '${login}' could not make an API key with adminPassword (${(error as Error).message}): apiKey stays empty, so resources in it need a connection with a key of their own`,
    );
    return undefined;
  }
}

/** The outputs: inputs plus the uuid and neutralization read from the database, when a key works there. */
async function readOutputs(
  args: DatabaseInputs & Pick<DatabaseOutputs, "apiKey">,
  source: DatabaseOutputs["source"],
  createdAt: string,
): Promise<DatabaseOutputs> {
  // The database's own key (made at creation) before the stack's, which belongs to another database.
  const { url, apiKey, login } = mergeTarget({ url: args.connection?.url, apiKey: args.connection?.apiKey ?? args.apiKey });
  let uuid: string | undefined;
  let neutralized: boolean | undefined;
  if (url && apiKey) {
    const client = new OdooClient({ url, apiKey, database: args.name, login }, { retry: { attempts: 2, baseDelayMs: 200, maxDelayMs: 1000 } });
    try {
      const rows = await client.call<{ key: string; value: string }[]>("ir.config_parameter", "search_read", {
        domain: [["key", "in", ["database.uuid", "database.is_neutralized"]]],
        fields: ["key", "value"],
      });
      uuid = rows.find((r) => r.key === "database.uuid")?.value;
      const flag = rows.find((r) => r.key === "database.is_neutralized")?.value;
      neutralized = flag === undefined ? false : /^(true|1)$/i.test(flag);
    } catch {
      // Keys belong to one database: a fresh database has none of ours. The facts stay unknown.
    } finally {
      await client.close();
    }
  }
  return compact({ ...args, source, uuid, neutralized, createdAt });
}

/**
 * A database on the server's database manager: fresh, a (neutralized) copy of another, or restored
 * from a backup file. Dropping it is guarded by deletionProtection, and can be preceded by a backup.
 * Needs the master password (odoo:masterPassword).
 */
export class Database extends OdooResource {
  /** The database's name. */
  declare readonly name: pulumi.Output<string>;
  /** How it was made: "fresh", "copy" or "restore". */
  declare readonly source: pulumi.Output<"fresh" | "copy" | "restore">;
  /** Its database.uuid, when an API key valid in it is given. */
  declare readonly uuid: pulumi.Output<string | undefined>;
  /**
   * A fresh database's API key for its admin user (a secret), made at creation: pass it, with the
   * database's name, in the connection of the resources that configure this database.
   */
  declare readonly apiKey: pulumi.Output<string | undefined>;
  /** Whether it is neutralized (database.is_neutralized), when an API key valid in it is given. */
  declare readonly neutralized: pulumi.Output<boolean | undefined>;
  /** When it was made (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string>;

  /**
   * @param name The Pulumi name of the resource.
   * @param args Its properties.
   * @param opts Pulumi's resource options.
   */
  constructor(name: string, args: DatabaseArgs, opts?: pulumi.CustomResourceOptions) {
    super("database", name, args, opts, { outputs: ["source", "apiKey", "uuid", "neutralized", "createdAt"] });
  }
}
