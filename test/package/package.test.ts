import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { describeWithCli } from "../cli/locate";
import { OdooEmulator } from "../emulator/server";
import { Engine } from "../engine/engine";
import { tempDir } from "../temp";

// The package as a user installs it: `npm pack` (which builds it through `prepare`), then a new
// project installs the tarball beside @pulumi/pulumi, the version we test with and the newest, and
// runs a program with it. One copy of the Pulumi runtime, no source maps, a LICENSE.

const run = promisify(execFile);
const root = path.resolve(__dirname, "../../..");
const work = tempDir("pulumi-odoo-package-");
let tarball: string;

const PROGRAM = `const odoo = require("pulumi-odoo");
const book = new odoo.CustomModel("book", { model: "x_packaged_book", name: "Packaged Book" });
exports.modelId = book.modelId;
`;

/** A TypeScript program that touches the public types: resource classes, their arguments and outputs. */
const TS_PROGRAM = `import * as odoo from "pulumi-odoo";
const book = new odoo.CustomModel("book", { model: "x_book", name: "Book" });
const type: odoo.FieldType = "char";
new odoo.CustomField("title", { model: book.model, name: "x_title", type });
const tag = new odoo.Record("tag", { model: "res.partner.category", values: { name: "VIP", parent_id: odoo.ref("base.res_partner_category_0") } });
new odoo.Settings("settings", { values: { show_effect: false } });
new odoo.Module("contacts", { name: "contacts" });
export const ids = { model: book.modelId, tag: tag.recordId };
`;

/** The tsconfig.json of Pulumi's TypeScript template before 2026-03, and of the README's quick start. */
const TSCONFIGS: Record<string, () => string> = {
  "Pulumi's template before 2026-03 (commonjs, moduleResolution node, no esModuleInterop)": () =>
    JSON.stringify({
      compilerOptions: {
        strict: true,
        outDir: "bin",
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        sourceMap: true,
        experimentalDecorators: true,
        pretty: true,
        noFallthroughCasesInSwitch: true,
        noImplicitReturns: true,
        forceConsistentCasingInFileNames: true,
      },
      files: ["index.ts"],
    }),
  "the README's quick start": () => readmeQuickStart().files["tsconfig.json"],
};

before(async () => {
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", work], { cwd: root, maxBuffer: 16 << 20 });
  tarball = path.join(work, stdout.trim().split("\n").pop()!);
});

test("the tarball holds the built package, the provider plugin with its schema, the SDKs and its licence, and no source maps", async () => {
  const { stdout } = await run("tar", ["-tzf", tarball]);
  const files = stdout.split("\n").filter(Boolean);
  assert.ok(files.includes("package/bin/provider/index.js"));
  assert.ok(files.includes("package/bin/provider/host.js"));
  assert.ok(files.includes("package/plugin/pulumi-resource-odoo"));
  assert.ok(files.includes("package/bin/provider/plugin/main.js"));
  assert.ok(files.includes("package/bin/provider/plugin/schema.json"));
  assert.ok(files.includes("package/sdk/python/pyproject.toml"));
  assert.ok(files.includes("package/sdk/nodejs/package.json"));
  assert.ok(files.includes("package/sdk/go/go.mod"));
  assert.ok(files.includes("package/LICENSE"));
  assert.deepEqual(
    files.filter((f) => f.endsWith(".map") || f.includes("/test/")),
    [],
  );
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
      await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball, `@pulumi/pulumi@${pulumiVersion}`], {
        cwd: app,
        maxBuffer: 16 << 20,
      });
      const url = await emulator.start();
      engine = new Engine({
        programDir: app,
        config: { "odoo:url": url, "odoo:apiKey": emulator.apiKey(), "odoo:database": "odoo" },
        secretConfig: ["odoo:apiKey"],
      });
    });
    after(() => emulator.stop());

    test("one copy of the Pulumi runtime, shared with the program", () => {
      assert.equal(existsSync(path.join(app, "node_modules/pulumi-odoo/node_modules/@pulumi/pulumi")), false);
      assert.equal(existsSync(path.join(app, "node_modules/@pulumi/pulumi/package.json")), true);
    });

    if (pulumiVersion !== "latest") {
      for (const [template, tsconfig] of Object.entries(TSCONFIGS)) {
        test(`its types compile in a TypeScript program made from ${template}`, async () => {
          const project = path.join(app, `ts-${Object.keys(TSCONFIGS).indexOf(template)}`);
          mkdirSync(project);
          writeFileSync(path.join(project, "tsconfig.json"), tsconfig());
          writeFileSync(path.join(project, "index.ts"), TS_PROGRAM);
          assert.equal(await typeErrors(project), "");
        });
      }

      test("the README's TypeScript snippets compile, pasted in order as it says", async () => {
        const programs = readmePrograms();
        assert.equal(programs.length, 2, "the quick start's program, continued by the sections, and the data sources' own");
        for (const [index, program] of programs.entries()) {
          const project = path.join(app, `readme-${index}`);
          mkdirSync(project);
          writeFileSync(path.join(project, "tsconfig.json"), readmeQuickStart().files["tsconfig.json"]);
          writeFileSync(path.join(project, "index.ts"), program);
          assert.equal(await typeErrors(project), "", `program ${index + 1} of the README:\n${program}`);
        }
      });
    }

    test("its command, `npx pulumi-odoo export`: without --out it says what it needs, exits 2 and writes nothing", async () => {
      const failed = (await run("npx", ["--no-install", "pulumi-odoo", "export"], { cwd: app }).then(
        () => assert.fail("expected exit code 2"),
        (error) => error,
      )) as { code: number; stdout: string; stderr: string };
      assert.deepEqual(
        [failed.code, failed.stdout, failed.stderr.split("\n")[0]],
        [2, "", "pulumi-odoo: --out DIR is required: the folder the program is written to"],
      );
    });

    test("a program using it: up, an empty second preview, destroy", async () => {
      const up = await engine.up();
      assert.deepEqual(up.errors, []);
      assert.deepEqual(
        up.steps.map((s) => `${s.op} ${s.name}`),
        ["create book"],
      );
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

/** What tsc says of a project beside the app's node_modules (where it resolves pulumi-odoo and @pulumi/pulumi): nothing when it compiles. */
function typeErrors(project: string): Promise<string> {
  const tsc = path.join(root, "node_modules/typescript/bin/tsc");
  return run(process.execPath, [tsc, "--noEmit", "-p", project]).then(
    () => "",
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
}

/**
 * The README's TypeScript blocks as the programs a reader pastes: the sections continue the quick
 * start's index.ts (as the README says), and a block that imports pulumi-odoo starts a program of its own.
 */
function readmePrograms(): string[] {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const programs: string[] = [];
  for (const [, block] of readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    if (block.startsWith('import * as odoo from "pulumi-odoo";') || programs.length === 0) programs.push(block);
    else programs[programs.length - 1] += `\n${block}`;
  }
  return programs;
}

/** The README's "Quick start in your own project": its three files and its commands, as written there. */
function readmeQuickStart(): { files: Record<string, string>; commands: string[] } {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Quick start in your own project"), readme.indexOf("The complete example is `examples/quickstart`."));
  const block = (lang: string, from = 0) => {
    const start = section.indexOf("```" + lang + "\n", from);
    assert.notEqual(start, -1, `the quick start has a ${lang} block`);
    return section.slice(start + lang.length + 4, section.indexOf("```", start + 3));
  };
  const walked = section.indexOf("<!-- walked by test/package/package.test.ts -->");
  const commands = block("bash", walked)
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter(Boolean);
  return { files: { "Pulumi.yaml": block("yaml"), "tsconfig.json": block("json"), "index.ts": block("ts") }, commands };
}

describeWithCli("the README's quick start, walked with the Pulumi CLI", (cliDir) => {
  const project = path.join(work, "odoo-config");
  const emulator = new OdooEmulator();
  const models = () => emulator.databases.get("odoo")!.orm.model("ir.model").records.size;
  after(() => emulator.stop());

  test("a new TypeScript project: install, log in, configure, up, an empty preview, destroy", async () => {
    const url = await emulator.start();
    const { files, commands } = readmeQuickStart();
    mkdirSync(project);
    mkdirSync(path.join(work, "state"));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(project, name), text);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${cliDir}${path.delimiter}${process.env.PATH}`,
      PULUMI_HOME: path.join(work, "pulumi-home"),
      PULUMI_SKIP_UPDATE_CHECK: "1",
    };
    delete env.PULUMI_BACKEND_URL;
    const said: Record<string, string> = {};
    const before = models();
    for (const command of commands) {
      const line = command
        .replace("../pulumi-odoo/pulumi-odoo-0.1.0.tgz", tarball)
        .replace("https://odoo.example.com", url)
        .replace("odoo:database production", "odoo:database odoo")
        .replace("<API key>", emulator.apiKey())
        // `--local` is the user's ~/.pulumi (the CLI asks the system for the home folder, not HOME):
        // the test keeps its state in a folder of its own, as `file://DIR` does.
        .replace("pulumi login --local", `pulumi login file://${path.join(work, "state")}`);
      const exported = /^export (\w+)=(.*)$/.exec(line);
      if (exported) {
        env[exported[1]] = "quick start passphrase";
        continue;
      }
      const [program, ...args] = line.split(/\s+/);
      const result = await run(program, args, { cwd: project, env, maxBuffer: 64 << 20 }).catch((error) =>
        assert.fail(`${command} failed:\n${error.stdout}\n${error.stderr}`),
      );
      said[`${program} ${args[0]}`] = result.stdout;
      if (command === "pulumi up --yes") {
        assert.equal(models(), before + 1);
        const state = (await run("pulumi", ["stack", "export"], { cwd: project, env, maxBuffer: 64 << 20 })).stdout;
        assert.ok(state.includes('"ciphertext"') && !state.includes(emulator.apiKey()));
      }
    }
    assert.match(said["pulumi up"], /^ {4}\+ 2 created$/m);
    assert.match(said["pulumi up"], /^ {4}modelId: \d+$/m);
    assert.match(said["pulumi destroy"], /^ {4}- 2 deleted$/m);
    assert.equal(models(), before);
  });
});
