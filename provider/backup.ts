import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import { programSettings, resolveTarget } from "./config";
import { DbManagerClient } from "./dbmanager/db-manager-client";

// backupDatabase: a backup streamed to disk with constant memory, for programs and pipelines.

/** What backupDatabase backs up, and where it writes it. */
export interface BackupDatabaseArgs {
  /** The database to back up. */
  name: string;
  /** "zip" (SQL dump and filestore) or "dump" (PostgreSQL custom format, no filestore). */
  format: "zip" | "dump";
  /** The file to write; its directory is created. Written whole or not at all. */
  to: string;
  /** Default true for zip. */
  filestore?: boolean;
  /** Default: odoo:url / ODOO_URL. */
  url?: string;
  /** Default: odoo:masterPassword / ODOO_MASTER_PASSWORD. */
  masterPassword?: string;
}

export async function backupDatabase(args: BackupDatabaseArgs): Promise<{ path: string; size: number }> {
  const { url, masterPassword } = resolveTarget(
    args,
    ["url", "masterPassword"],
    "backupDatabase",
    { url: "its url", masterPassword: "its masterPassword" },
    programSettings(),
  );
  const file = path.resolve(args.to);
  await mkdir(path.dirname(file), { recursive: true });
  const manager = new DbManagerClient(url, masterPassword);
  try {
    const size = await manager.backup({ name: args.name, format: args.format, filestore: args.filestore }, file);
    return { path: file, size };
  } finally {
    await manager.close();
  }
}
