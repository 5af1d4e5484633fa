import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import * as path from "node:path";

// A local journal of an upgrade request that exists on the platform but may not be in the state
// yet: if the process dies mid-create, the next `pulumi up` finds the request here and resumes it
// instead of creating and uploading a new one. Mode 0600 (it holds the request's key), next to the
// program; removed once the request is in the state.

export interface JournalEntry {
  id: number;
  key: string;
  phase: "created" | "uploaded" | "processing";
}

export function journalPath(identity: unknown[]): string {
  const digest = createHash("sha256").update(JSON.stringify(identity)).digest("hex").slice(0, 16);
  return path.resolve(".pulumi-odoo", `upgrade-${digest}.json`);
}

export async function readJournal(file: string): Promise<JournalEntry | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as JournalEntry;
  } catch {
    return undefined;
  }
}

export async function writeJournal(file: string, entry: JournalEntry): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(entry), { mode: 0o600 });
}

export async function removeJournal(file: string): Promise<void> {
  await rm(file, { force: true });
}
