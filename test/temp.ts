import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

// The folders tests make, removed when the test's process exits (npm test once left ~230 MB behind in
// the temp folder). PULUMI_ODOO_KEEP_TEMP=1 keeps them, to look at after a failure.

const made: string[] = [];

process.on("exit", () => {
  if (process.env.PULUMI_ODOO_KEEP_TEMP) return;
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch (error) {
      // A folder still in use (a browser's profile) is left behind rather than failing the tests.
      console.error(`# could not remove ${dir}: ${(error as Error).message}`);
    }
  }
});

/** A new folder `prefix…` under the temp folder (or `parent`), removed when this process exits. */
export function tempDir(prefix: string, parent = tmpdir()): string {
  const dir = mkdtempSync(path.join(parent, prefix));
  made.push(dir);
  return dir;
}
