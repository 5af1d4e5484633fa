import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { test } from "node:test";
import { describeWithCli } from "../cli/locate";
import { tempDir } from "../temp";
import { generateSdk, LANGUAGES } from "../../tools/generate-sdk";

// The SDKs checked in (sdk/python, sdk/nodejs, sdk/go) are what `npm run sdk` makes of the schema
// with the CLI we build, and the Go one compiles. (Python's is installed by pip and Node's compiled
// by tsc in the plugin's acceptance suite, which runs programs with them.)

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..", "..");

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
    const full = path.join(dir, file);
    if (statSync(full).isFile()) out[file] = readFileSync(full, "utf8");
  }
  return out;
}

describeWithCli("the plugin's SDKs", (cliDir) => {
  for (const language of LANGUAGES) {
    test(`sdk/${language} is what npm run sdk makes of the schema`, async () => {
      const fresh = path.join(tempDir(`sdk-${language}-`), language);
      await generateSdk(language, fresh, cliDir);
      const made = files(fresh);
      const checkedIn = files(path.join(ROOT, "sdk", language));
      assert.deepEqual(Object.keys(checkedIn), Object.keys(made), `sdk/${language} has other files than npm run sdk makes: run it`);
      for (const [file, text] of Object.entries(made)) assert.equal(checkedIn[file], text, `sdk/${language}/${file} is stale: run npm run sdk`);
    });
  }

  test("the Go SDK compiles", async () => {
    await run("go", ["build", "./..."], { cwd: path.join(ROOT, "sdk", "go"), env: { ...process.env, GOFLAGS: "-mod=readonly", GOTOOLCHAIN: "local" } });
  });
});
