import { access, constants, mkdir, stat } from "node:fs/promises";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isOdooError, mayHaveApplied, OdooError } from "../client/errors";
import { makeApiKey } from "../client/api-keys";
import { OdooClient } from "../client/odoo-client";
import { adopting, type ConnectionArgs, settings } from "../config";
import { DB_NAME_PATTERN, DbManagerClient } from "../dbmanager/db-manager-client";
import { type CheckFailure, checkInputs, isUnknown } from "../internal/check";
import { createOnce, deleteOnce } from "../internal/unknown-outcome";
import { diffInputs } from "../internal/diff";
import { compact, progress, GONE, OdooResource, implementation } from "../internal/resource";

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

export function inputsSchema() {
  const name = z.string().regex(DB_NAME_PATTERN, "must be letters, digits, '_', '.' or '-', starting with a letter or digit, at least 2 characters (Odoo's rule)");
  return z.strictObject({
    name,
    masterPassword: z.string().min(1, "must not be empty").optional(),
    copyFrom: name.optional(),
    neutralize: z.boolean().optional(),
    restoreFrom: z.string().min(1, "must be a path to a backup file").optional(),
    copy: z.boolean().optional(),
    adminLogin: z.string().min(1, "must not be empty").optional(),
    adminPassword: z.string().min(1, "must not be empty").optional(),
    lang: z.string().regex(/^[a-z]{2,3}(_[A-Z][A-Za-z]{1,3})?(@\w+)?$/, "must be a language code such as en_US or fr_BE").optional(),
    countryCode: z.string().regex(/^[A-Za-z]{2}$/, "must be a two-letter country code such as BE").optional(),
    phone: z.string().optional(),
    demo: z.boolean().optional(),
    backupBeforeDrop: z.string().min(1, "must be a directory").optional(),
    deletionProtection: z.boolean().default(true),
    adopt: z.boolean().default(false),
    connection: z
      .strictObject({
        url: z.string().regex(/^https?:\/\/[^\s/]+/, "must be an http(s) URL such as https://odoo.example.com").optional(),
        apiKey: z.string().min(1).optional(),
      })
      .optional(),
  });
}

export type DatabaseInputs = z.infer<ReturnType<typeof inputsSchema>>;

export interface DatabaseOutputs extends DatabaseInputs {
  source: "fresh" | "copy" | "restore";
  /** A fresh database's API key for its admin user, made at creation (a secret). */
  apiKey?: string;
  uuid?: string;
  neutralized?: boolean;
  createdAt: string;
}

/** What the database is made from cannot change without making it again. */
export const replaceOn = ["name", "copyFrom", "restoreFrom", "neutralize", "copy", "adminLogin", "lang", "countryCode", "demo", "connection.url"] as const;

const FRESH_ONLY = ["adminLogin", "adminPassword", "lang", "countryCode", "phone", "demo"] as const;

async function sourceRules(d: DatabaseInputs): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  if (d.copyFrom && d.restoreFrom) failures.push({ property: "restoreFrom", reason: "give one source: copyFrom, restoreFrom, or neither for a fresh database" });
  const source = d.copyFrom ? "copyFrom" : d.restoreFrom ? "restoreFrom" : undefined;
  if (source) {
    for (const key of FRESH_ONLY) if (d[key] !== undefined) failures.push({ property: key, reason: `only applies to a fresh database, not with ${source}` });
  } else if (!d.adminPassword) {
    failures.push({ property: "adminPassword", reason: "is required for a fresh database (the admin user's password; pass it as a secret)" });
  }
  if (d.copy !== undefined && !d.restoreFrom) failures.push({ property: "copy", reason: "only applies with restoreFrom" });
  if (d.neutralize !== undefined && !source) failures.push({ property: "neutralize", reason: "only applies with copyFrom or restoreFrom" });
  if (d.copyFrom === d.name && !isUnknown(d.name)) failures.push({ property: "copyFrom", reason: "cannot be the database itself" });
  // A file another resource makes (an upgraded dump) is not known at preview: judged at up.
  if (d.restoreFrom && !isUnknown(d.restoreFrom)) {
    // Relative paths are relative to the program's directory, where the provider runs.
    const file = path.resolve(d.restoreFrom);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) failures.push({ property: "restoreFrom", reason: `no backup file at ${file}` });
    else if (!(await access(file, constants.R_OK).then(() => true, () => false))) failures.push({ property: "restoreFrom", reason: `${file} is not readable` });
  }
  if (d.backupBeforeDrop && !isUnknown(d.backupBeforeDrop)) {
    const info = await stat(path.resolve(d.backupBeforeDrop)).catch(() => undefined);
    if (info && !info.isDirectory()) failures.push({ property: "backupBeforeDrop", reason: `${path.resolve(d.backupBeforeDrop)} is a file: give a directory` });
  }
  if (!d.masterPassword && !settings().masterPassword) {
    failures.push({ property: "masterPassword", reason: "is required: set odoo:masterPassword as a secret (or ODOO_MASTER_PASSWORD), or give masterPassword" });
  }
  if (!d.connection?.url && !settings().url) failures.push({ property: "connection.url", reason: "no Odoo URL: set odoo:url (or ODOO_URL), or give connection.url" });
  return failures;
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
    if (await manager.exists(args.name)) {
      if (!adopting(args.adopt)) throw new OdooError("ODOO_VALIDATION", `database '${args.name}' already exists: set adopt: true to take it over, or choose another name`);
      return { id: args.name, outs: await facts(args, sourceOf(args), new Date(started).toISOString()) };
    }
    const source = sourceOf(args);
    progress(`database '${args.name}': ${describe(args)}${source === "fresh" ? " (a real server takes about 20 s)" : ""}…`);
    let apiKey: string | undefined;
    try {
      await createOnce(
        `database '${args.name}'`,
        () => make(manager, args, source).then(() => true),
        async () => (await manager.exists(args.name)) || undefined,
      );
      // JSON-2 takes only API keys, and a fresh database has none: its admin makes one.
      if (source === "fresh") apiKey = await makeApiKey({ url: manager.url, database: args.name, login: args.adminLogin ?? "admin", password: args.adminPassword!, description: "pulumi-odoo" });
    } catch (error) {
      throw await cleanUpAfterFailure(manager, args.name, error);
    }
    progress(`database '${args.name}' ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { id: args.name, outs: await facts({ ...args, apiKey }, source, new Date().toISOString()) };
  },

  async read(id, args) {
    if (!(await managerFor(args).exists(id))) return GONE;
    return { id, props: await facts(args, args.source, args.createdAt) };
  },

  async update(_id, previous, news) {
    // Everything that can change in place (protection, backups, the master password) lives in the state.
    return { outs: await facts({ ...news, apiKey: previous.apiKey }, previous.source, previous.createdAt) };
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
    await deleteOnce(`database '${id}'`, () => manager.drop(id), () => manager.exists(id));
    // The server answers a drop with 303 whether or not it happened (facts §6): check.
    if (await manager.exists(id)) throw new OdooError("ODOO_DBMANAGER", `database '${id}' is still listed after the drop`);
  },
});

function make(manager: DbManagerClient, args: DatabaseInputs, source: DatabaseOutputs["source"]): Promise<void> {
  if (source === "copy") return manager.duplicate(args.copyFrom!, args.name, args.neutralize ?? true);
  if (source === "restore") return manager.restore(args.name, path.resolve(args.restoreFrom!), { copy: args.copy ?? true, neutralize: args.neutralize ?? false });
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
  if (args.copyFrom) return `duplicating '${args.copyFrom}'${args.neutralize ?? true ? ", neutralized" : ""}`;
  if (args.restoreFrom) return `restoring ${args.restoreFrom}`;
  return "creating a fresh database";
}

const managers = new Map<string, DbManagerClient>();

function managerFor(args: DatabaseInputs): DbManagerClient {
  const url = args.connection?.url ?? settings().url;
  const password = args.masterPassword ?? settings().masterPassword;
  if (!url || !password) throw new OdooError("ODOO_CONFIG", "the database manager needs odoo:url and odoo:masterPassword (or the resource's connection.url and masterPassword)");
  const key = JSON.stringify([url, password]);
  let manager = managers.get(key);
  if (!manager) managers.set(key, (manager = new DbManagerClient(url, password)));
  return manager;
}

/**
 * A failed create can leave a half-made database (a module init failure, a restore of a bad file):
 * drop it so that a retry can work, and say so.
 */
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

/** The outputs: inputs plus the uuid and neutralization read from the database, when a key works there. */
async function facts(args: DatabaseInputs & Pick<DatabaseOutputs, "apiKey">, source: DatabaseOutputs["source"], createdAt: string): Promise<DatabaseOutputs> {
  const url = args.connection?.url ?? settings().url;
  const apiKey = args.connection?.apiKey ?? args.apiKey ?? settings().apiKey;
  let uuid: string | undefined;
  let neutralized: boolean | undefined;
  if (url && apiKey) {
    const client = new OdooClient({ url, apiKey, database: args.name, login: settings().login }, { retry: { attempts: 2, baseDelayMs: 200, maxDelayMs: 1000 } });
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
    super("database", name, args, opts, {
      outputs: ["source", "apiKey", "uuid", "neutralized", "createdAt"],
      secretInputs: ["masterPassword", "adminPassword"],
      secretOutputs: ["apiKey"],
    });
  }
}
