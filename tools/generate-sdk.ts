import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildCli } from "../test/pulumi-cli/build";
import { generateSchema, schemaFile } from "./generate-schema";

// `npm run sdk`: writes the plugin's schema (generate-schema.ts), then the Python SDK generated
// from it into sdk/python, with the SDK generator built beside the Pulumi CLI (tools/sdkgen).
// Both are checked in; the unit suite fails when the schema is stale, the Python suite when the SDK is.

const ROOT = path.resolve(__dirname, "..", "..");

export async function generateSdk(language: string, into: string): Promise<void> {
  const cli = await buildCli((line) => process.stderr.write(`pulumi-cli: ${line}\n`));
  const work = mkdtempSync(path.join(os.tmpdir(), "pulumi-odoo-sdk-"));
  try {
    execFileSync(path.join(cli, "pulumi-odoo-sdkgen"), [schemaFile(), language, work], { stdio: "inherit" });
    rmSync(into, { recursive: true, force: true });
    mkdirSync(path.dirname(into), { recursive: true });
    cpSync(work, into, { recursive: true });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  writeFileSync(schemaFile(), JSON.stringify(generateSchema(), null, 2) + "\n");
  generateSdk("python", path.join(ROOT, "sdk", "python")).then(
    () => console.log("wrote provider/plugin/schema.json and sdk/python"),
    (error) => {
      console.error(`npm run sdk: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
