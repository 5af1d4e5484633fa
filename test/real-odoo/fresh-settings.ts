import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { OdooClient } from "../../provider/client/odoo-client";
import { installedModules } from "../../provider/client/modules";
import { readSettings, settingsFields } from "../../provider/client/settings";
import { externalIds } from "../../provider/export/records";
import { exportableSettings, type FreshValue } from "../../provider/export/settings";

// Measures what a fresh database's Settings form holds, for the exporter's table
// (provider/export/fresh-settings.json): the exporter writes the settings that differ from it. Run it on
// a database made for it, never on one in use (it installs every application the server has):
//   npm run real-odoo -- ../shared/odoo/odoo-19.0-community-trimmed.tar.xz > /tmp/fresh.json &
//   ODOO_URL=… ODOO_DATABASE=… ODOO_API_KEY=… ODOO_LOGIN=admin node bin/test/real-odoo/fresh-settings.js
// It replaces that major version's row of the table and leaves the others.

const TABLE = path.join(__dirname, "../../../provider/export/fresh-settings.json");

async function main(): Promise<void> {
  const { ODOO_URL: url, ODOO_DATABASE: database, ODOO_API_KEY: apiKey, ODOO_LOGIN: login } = process.env;
  if (!url || !apiKey) throw new Error("set ODOO_URL, ODOO_DATABASE, ODOO_API_KEY (and ODOO_LOGIN before 19)");
  const client = new OdooClient({ url, database, apiKey, login }, { timeoutMs: 30 * 60_000 });
  try {
    const major = (await client.version()).version.split(".")[0];
    const apps = await client.call<{ id: number; name: string }[]>("ir.module.module", "search_read", {
      domain: [
        ["application", "=", true],
        ["state", "=", "uninstalled"],
      ],
      fields: ["name"],
    });
    // One at a time: a trimmed tree lists applications whose dependencies it lacks (Odoo refuses those).
    for (const app of apps) {
      console.error(`installing ${app.name}…`);
      for (let attempt = 1; ; attempt++) {
        const refused = await client.call("ir.module.module", "button_immediate_install", { ids: [app.id] }, { timeoutMs: 30 * 60_000 }).then(
          () => undefined,
          (error: Error) => error.message,
        );
        // Odoo refuses module operations while a scheduled action runs (installs start some): wait for it.
        if (refused && /processing a scheduled action/.test(refused) && attempt < 30) await new Promise((r) => setTimeout(r, 5_000));
        else {
          if (refused) console.error(`  not installed: ${refused}`);
          break;
        }
      }
    }
    const fields = await settingsFields(client);
    const keys = exportableSettings(fields);
    const values = await readSettings(client, keys, fields);
    const row: Record<string, FreshValue> = {};
    for (const key of keys.sort()) {
      const value = values[key];
      if (fields[key].type !== "many2one") row[key] = value === undefined ? false : (value as FreshValue);
      else if (!value) row[key] = null;
      else {
        const xmlId = (await externalIds(client, fields[key].relation!, [value as number])).get(value as number);
        row[key] = xmlId ? { __odooRef: xmlId } : null;
      }
    }
    const modules = (await installedModules(client)).length;
    const table = JSON.parse(readFileSync(TABLE, "utf8")) as Record<string, unknown>;
    table[major] = row;
    const sorted = Object.fromEntries(Object.entries(table).sort(([a], [b]) => Number(b) - Number(a)));
    writeFileSync(TABLE, `${JSON.stringify(sorted, null, 2)}\n`);
    console.error(`Odoo ${major}: ${keys.length} settings measured with ${modules} modules installed`);
  } finally {
    await client.close();
  }
}

void main().catch((error) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
