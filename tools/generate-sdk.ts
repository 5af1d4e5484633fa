import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { buildCli } from "../test/pulumi-cli/build";
import { generateSchema, schemaFile } from "./generate-schema";

// `npm run sdk`: writes the plugin's schema (generate-schema.ts), then the SDKs generated from it
// by `pulumi package gen-sdk` into sdk/python (pulumi_odoo), sdk/nodejs (@pulumi-odoo/odoo) and
// sdk/go (with its go.mod), with the CLI we build. All are checked in; the unit suite fails when
// the schema is stale, the package suite when an SDK is (test/package/sdk.test.ts).

const ROOT = path.resolve(__dirname, "..", "..");
const run = promisify(execFile);

/** Generates the SDK of `language` from the schema file into `into` (replaced), with the CLI of `cli` (built if not given). */
export async function generateSdk(language: Language, into: string, cli?: string): Promise<void> {
  cli ??= await buildCli((line) => process.stderr.write(`pulumi-cli: ${line}\n`));
  const work = mkdtempSync(path.join(os.tmpdir(), "pulumi-odoo-sdk-"));
  try {
    const env = {
      ...process.env,
      PATH: `${cli}${path.delimiter}${process.env.PATH}`,
      PULUMI_HOME: path.join(work, "home"),
      PULUMI_SKIP_UPDATE_CHECK: "1",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    await run(path.join(cli, "pulumi"), ["package", "gen-sdk", schemaFile(), "--language", language, "--out", path.join(work, "out")], { env });
    rmSync(into, { recursive: true, force: true });
    mkdirSync(path.dirname(into), { recursive: true });
    cpSync(path.join(work, "out", language), into, { recursive: true });
    if (language === "go") await goModule(into, cli);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export const LANGUAGES = ["python", "nodejs", "go"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The Go SDK as a module of its own (its import path, the schema's), with the Pulumi SDK of the CLI's release. */
async function goModule(into: string, cli: string): Promise<void> {
  const version = JSON.parse(readFileSync(path.join(cli, "built.json"), "utf8")).version;
  writeFileSync(
    path.join(into, "go.mod"),
    `module github.com/pulumi-odoo/pulumi-odoo/sdk/go\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 v${version}\n`,
  );
  await run("go", ["mod", "tidy"], { cwd: into, env: { ...process.env, GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local" } });
}

if (require.main === module) {
  writeFileSync(schemaFile(), JSON.stringify(generateSchema(), null, 2) + "\n");
  (async () => {
    for (const language of LANGUAGES) await generateSdk(language, path.join(ROOT, "sdk", language));
  })().then(
    () => console.log(`wrote provider/plugin/schema.json and sdk/${LANGUAGES.join(", sdk/")}`),
    (error) => {
      const { stderr } = error as { stderr?: string };
      console.error(`npm run sdk: ${String(stderr || (error as Error).message).trim()}`);
      process.exit(1);
    },
  );
}
