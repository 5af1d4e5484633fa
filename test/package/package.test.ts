import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { OdooEmulator } from "../emulator/server";
import { Engine } from "../engine/engine";

// The package as a user installs it: `npm pack` (which builds it through `prepare`), then a new
// project installs the tarball beside @pulumi/pulumi, the version we test with and the newest, and
// runs a program with it. One copy of the Pulumi runtime, no source maps, a LICENSE.

const run = promisify(execFile);
const root = path.resolve(__dirname, "../../..");
const work = mkdtempSync(path.join(tmpdir(), "pulumi-odoo-package-"));
let tarball: string;

const PROGRAM = `const odoo = require("pulumi-odoo");
const book = new odoo.CustomModel("book", { model: "x_packaged_book", name: "Packaged Book" });
exports.modelId = book.modelId;
`;

before(async () => {
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", work], { cwd: root, maxBuffer: 16 << 20 });
  tarball = path.join(work, stdout.trim().split("\n").pop()!);
});

test("the tarball holds the built package and its licence, and no source maps", async () => {
  const { stdout } = await run("tar", ["-tzf", tarball]);
  const files = stdout.split("\n").filter(Boolean);
  assert.ok(files.includes("package/bin/provider/index.js"));
  assert.ok(files.includes("package/bin/provider/host.js"));
  assert.ok(files.includes("package/LICENSE"));
  assert.deepEqual(files.filter((f) => f.endsWith(".map") || f.includes("/test/")), []);
});

for (const pulumiVersion of ["3.248.0", "latest"]) {
  describe(`installed from the tarball beside @pulumi/pulumi@${pulumiVersion}`, () => {
    const app = path.join(work, `app-${pulumiVersion}`);
    const emulator = new OdooEmulator();
    let engine: Engine;
    before(async () => {
      mkdirSync(app);
      writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true, main: "index.js" }));
      writeFileSync(path.join(app, "index.js"), PROGRAM);
      await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball, `@pulumi/pulumi@${pulumiVersion}`], { cwd: app, maxBuffer: 16 << 20 });
      const url = await emulator.start();
      engine = new Engine({ programDir: app, config: { "odoo:url": url, "odoo:apiKey": emulator.apiKey(), "odoo:database": "odoo" }, secretConfig: ["odoo:apiKey"] });
    });
    after(() => emulator.stop());

    test("one copy of the Pulumi runtime, shared with the program", () => {
      assert.equal(existsSync(path.join(app, "node_modules/pulumi-odoo/node_modules/@pulumi/pulumi")), false);
      assert.equal(existsSync(path.join(app, "node_modules/@pulumi/pulumi/package.json")), true);
    });

    test("a program using it: up, an empty second preview, destroy", async () => {
      const up = await engine.up();
      assert.deepEqual(up.errors, []);
      assert.deepEqual(up.steps.map((s) => `${s.op} ${s.name}`), ["create book"]);
      assert.deepEqual((await engine.preview()).changes, []);
      assert.deepEqual((await engine.destroy()).errors, []);
    });
  });
}

describe("every example installs from the checkout", () => {
  const examples = ["quickstart", "custom-app", "reference-data", "staging", "upgrade-pipeline"];
  after(() => {
    for (const example of examples) {
      for (const made of ["node_modules", "package-lock.json"]) rmSync(path.join(root, "examples", example, made), { recursive: true, force: true });
    }
  });

  for (const example of examples) {
    test(`examples/${example}: npm install gives a copy of pulumi-odoo and one Pulumi runtime`, async () => {
      const dir = path.join(root, "examples", example);
      await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, maxBuffer: 16 << 20 });
      assert.equal(lstatSync(path.join(dir, "node_modules/pulumi-odoo")).isSymbolicLink(), false);
      assert.equal(existsSync(path.join(dir, "node_modules/pulumi-odoo/node_modules/@pulumi/pulumi")), false);
      const { stdout } = await run(process.execPath, ["-e", "console.log(typeof require('pulumi-odoo').CustomModel)"], { cwd: dir });
      assert.equal(stdout.trim(), "function");
    });
  }
});
