#!/usr/bin/env node
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { OdooClient } from "../client/odoo-client";
import { closest } from "../internal/check";
import { programText } from "./program";
import { projectFiles } from "./project";
import { type DatabaseSnapshot, globMatches, readDatabase } from "./read";
import { type ExportedRows, ExportInputError, type RecordsScope } from "./records";

/** The most rows of one model an export writes unless told otherwise: a bigger program is not one a person reads. */
const DEFAULT_LIMIT = 10_000;

// `npx pulumi-odoo export --out DIR`: reads a live database and writes the Pulumi program that takes
// it over. Bad input is one sentence on stderr with the usage, exit code 2; a database that cannot be
// read, Odoo's sentence, exit code 1; nothing is written either way.

const USAGE = `usage: pulumi-odoo export --out DIR [--models GLOB]... [--records MODEL[:DOMAIN]]... [--limit N] [--no-modules] [--no-settings]
  [--url URL] [--database NAME] [--login LOGIN]   (default: ODOO_URL, ODOO_DATABASE, ODOO_LOGIN; the key: ODOO_API_KEY)`;

const OPTIONS = {
  out: { type: "string" },
  models: { type: "string", multiple: true },
  records: { type: "string", multiple: true },
  limit: { type: "string" },
  "no-modules": { type: "boolean" },
  "no-settings": { type: "boolean" },
  url: { type: "string" },
  database: { type: "string" },
  login: { type: "string" },
} as const;

/** Where the command's messages go. */
export interface Say {
  out(line: string): void;
  err(line: string): void;
}

/** Runs the command; answers its exit code. `env` holds ODOO_*. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, say: Say = { out: console.log, err: console.error }): Promise<number> {
  const refuse = (reason: string) => {
    say.err(`pulumi-odoo: ${reason}\n${USAGE}`);
    return 2;
  };
  const [command, ...rest] = argv;
  if (command !== "export") return refuse(command ? `unknown command '${command}'` : "a command is needed");
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, strict: true }).values;
  } catch (error) {
    const unknown = /^Unknown option '(-[^']+)'/.exec((error as Error).message)?.[1];
    if (!unknown) return refuse((error as Error).message);
    const near = closest(unknown.replace(/^-+/, ""), Object.keys(OPTIONS));
    return refuse(`unknown option '${unknown}'${near ? `: did you mean '--${near}'?` : ""}`);
  }
  const out = parsed.out;
  if (!out) return refuse("--out DIR is required: the folder the program is written to");
  if (existsSync(out) && readdirSync(out).length) return refuse(`--out ${out} is not empty: give a new or empty folder`);
  const records: RecordsScope[] = [];
  for (const given of parsed.records ?? []) {
    const at = given.indexOf(":");
    const model = at === -1 ? given : given.slice(0, at);
    let domain: unknown = [];
    if (at !== -1) {
      try {
        domain = JSON.parse(given.slice(at + 1));
      } catch (error) {
        return refuse(`--records ${given}: the domain is not JSON (${(error as Error).message})`);
      }
      if (!Array.isArray(domain)) return refuse(`--records ${given}: the domain must be a JSON list, e.g. [["parent_id", "!=", false]]`);
    }
    records.push({ model, domain: domain as unknown[] });
  }
  const limit = parsed.limit === undefined ? DEFAULT_LIMIT : Number(parsed.limit);
  if (!Number.isInteger(limit) || limit < 1) return refuse(`--limit ${parsed.limit}: must be a whole number of rows, 1 or more`);
  const url = parsed.url ?? env.ODOO_URL;
  const apiKey = env.ODOO_API_KEY;
  if (!url) return refuse("no server: give --url or set ODOO_URL");
  if (!apiKey) return refuse("no API key: set ODOO_API_KEY (never a flag: a flag ends up in the shell's history)");
  const database = parsed.database ?? env.ODOO_DATABASE;
  const login = parsed.login ?? env.ODOO_LOGIN;
  const client = new OdooClient({ url, apiKey, database, login });
  try {
    const snapshot = await readDatabase(client, {
      models: parsed.models ?? ["x_*"],
      modules: !parsed["no-modules"],
      settings: !parsed["no-settings"],
      records,
      limit,
    });
    const unmatched = (parsed.models ?? []).filter((glob) => !snapshot.models.some((m) => globMatches(glob, m.model)));
    if (unmatched.length) {
      return refuse(
        `--models ${unmatched.map((glob) => `'${glob}'`).join(", ")} matches no custom model of this database (${snapshot.customModels.length ? `its custom models: ${snapshot.customModels.join(", ")}` : "it has none"})`,
      );
    }
    const origin = { url, database: database ?? "(the server's only database)", at: new Date().toISOString().replace(/\.\d+Z$/, "Z") };
    const files = projectFiles(programText(snapshot, origin), origin);
    mkdirSync(out, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(out, name), text);
    say.out(
      `exported ${counted(snapshot)} to ${out}` +
        (adopted(snapshot) ? `; ${adopted(snapshot)} records have no external id: the first up gives them one, and changes nothing else` : "") +
        (snapshot.notes.length ? `; note: ${snapshot.notes.join("; ")}` : ""),
    );
    return 0;
  } catch (error) {
    if (error instanceof ExportInputError) return refuse(error.message);
    // Odoo's refusal, or the server out of reach: its sentence alone (the command was right).
    say.err(`pulumi-odoo: ${(error as Error).message}`);
    return 1;
  } finally {
    await client.close();
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));

/** What was exported, counted: "1 modules, 2 settings, … and 4 rows of 2 models". */
function counted(snapshot: DatabaseSnapshot): string {
  const counts = [
    `${snapshot.modules.length} modules`,
    `${Object.keys(snapshot.settings).length} settings`,
    `${snapshot.models.length} custom models`,
    `${snapshot.fields.length} custom fields`,
    `${snapshot.uis.length} model UIs`,
    ...(snapshot.uiRecords.length ? [`${snapshot.uiRecords.length} other web-client records (views, actions, menus)`] : []),
    ...(snapshot.records.length ? [`${rowCount(snapshot.records)} rows of ${snapshot.records.length} models`] : []),
  ];
  return `${counts.slice(0, -1).join(", ")} and ${counts[counts.length - 1]}`;
}

function rowCount(sets: ExportedRows[]): number {
  return sets.reduce((sum, set) => sum + Object.keys(set.rows).length, 0);
}

/** The records the program takes over by id (they had no external id). */
function adopted(snapshot: DatabaseSnapshot): number {
  return snapshot.records.reduce((sum, set) => sum + Object.keys(set.adoptIds).length, snapshot.uiRecords.filter((record) => record.adoptId).length);
}
