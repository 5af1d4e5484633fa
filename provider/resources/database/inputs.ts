import { access, constants, stat } from "node:fs/promises";
import * as path from "node:path";
import { z } from "zod";
import { settings } from "../../config";
import { DB_NAME_PATTERN } from "../../dbmanager/db-manager-client";
import { isUnknown } from "../../internal/check";
import type { CheckFailure } from "../../internal/failure";

// What a Database accepts (its source's rules, the files it reads or writes, checked at preview)
// and holds.

export function inputsSchema() {
  const name = z
    .string()
    .regex(DB_NAME_PATTERN, "must be letters, digits, '_', '.' or '-', starting with a letter or digit, at least 2 characters (Odoo's rule)");
  return z.strictObject({
    name,
    masterPassword: z.string().min(1, "must not be empty").optional(),
    copyFrom: name.optional(),
    neutralize: z.boolean().optional(),
    restoreFrom: z.string().min(1, "must be a path to a backup file").optional(),
    copy: z.boolean().optional(),
    adminLogin: z.string().min(1, "must not be empty").optional(),
    adminPassword: z.string().min(1, "must not be empty").optional(),
    lang: z
      .string()
      .regex(/^[a-z]{2,3}(_[A-Z][A-Za-z]{1,3})?(@\w+)?$/, "must be a language code such as en_US or fr_BE")
      .optional(),
    countryCode: z
      .string()
      .regex(/^[A-Za-z]{2}$/, "must be a two-letter country code such as BE")
      .optional(),
    phone: z.string().optional(),
    demo: z.boolean().optional(),
    backupBeforeDrop: z.string().min(1, "must be a directory").optional(),
    deletionProtection: z.boolean().default(true),
    adopt: z.boolean().default(false),
    connection: z
      .strictObject({
        url: z
          .string()
          .regex(/^https?:\/\/[^\s/]+/, "must be an http(s) URL such as https://odoo.example.com")
          .optional(),
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

export async function sourceRules(d: DatabaseInputs): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  if (d.copyFrom && d.restoreFrom)
    failures.push({ property: "restoreFrom", reason: "give one source: copyFrom, restoreFrom, or neither for a fresh database" });
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
    else if (
      !(await access(file, constants.R_OK).then(
        () => true,
        () => false,
      ))
    )
      failures.push({ property: "restoreFrom", reason: `${file} is not readable` });
  }
  if (d.backupBeforeDrop && !isUnknown(d.backupBeforeDrop)) {
    const info = await stat(path.resolve(d.backupBeforeDrop)).catch(() => undefined);
    if (info && !info.isDirectory()) failures.push({ property: "backupBeforeDrop", reason: `${path.resolve(d.backupBeforeDrop)} is a file: give a directory` });
  }
  if (!d.masterPassword && !settings().masterPassword) {
    failures.push({ property: "masterPassword", reason: "is required: set odoo:masterPassword as a secret (or ODOO_MASTER_PASSWORD), or give masterPassword" });
  }
  if (!d.connection?.url && !settings().url)
    failures.push({ property: "connection.url", reason: "no Odoo URL: set odoo:url (or ODOO_URL), or give connection.url" });
  return failures;
}
