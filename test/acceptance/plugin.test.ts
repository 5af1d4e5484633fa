import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { before, test } from "node:test";
import { OdooClient } from "../../provider/client/odoo-client";
import { locateCli } from "../cli/locate";
import { compileProgram, installNodeSdk, PluginProject, pythonExample, pythonVenv, typescriptProject } from "../plugin/project";
import { describeReal } from "./harness";

// Issue 31's must-show, on a real Odoo through the real CLI: the Python quickstart with the
// provider plugin and the generated SDK (up, a preview with no change, refresh finding drift made
// in Odoo, destroy leaving the server as it was, no secret in the state), and `pulumi import` of a
// field and a record made by hand in Odoo, with the code it generates in Python and in TypeScript
// previewing with no change.

describeReal("the provider plugin: Python programs, pulumi import", (target) => {
  const client = new OdooClient({ url: target.url, database: target.database, apiKey: target.apiKey, login: target.login });
  let venv: string;
  let cliDir: string;

  before(async () => {
    const found = locateCli();
    assert.ok(found, "a Pulumi CLI (npm run pulumi-cli builds one)");
    cliDir = found;
    venv = await pythonVenv();
  });

  test("the quickstart: up, no change, drift found and put back, destroy; no secret in the state", async (t) => {
    const model = `x_pybook_${randomBytes(3).toString("hex")}`;
    const project = new PluginProject(cliDir, pythonExample("quickstart-python"), venv);
    t.after(() => project.sayIfFailed());
    await project.stack("dev", target, { model: model.slice(2) });

    // Bad input fails at preview with check's sentence, naming the property; nothing is written.
    const refused = await project.pulumi(["preview"]);
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stdout,
      new RegExp(
        `error: odoo:index:CustomModel resource 'book': property model value \\{${model.slice(2)}\\} has a problem: must start with 'x_' \\(Odoo's rule for custom models\\), e.g\\. 'x_library_book'\n`,
      ),
    );
    assert.deepEqual(await client.call("ir.model", "search", { domain: [["model", "in", [model, model.slice(2)]]] }), []);
    await project.must(["config", "set", "model", model]);

    await project.must(["up", "--yes", "--skip-preview"]);
    const outputs = JSON.parse(await project.must(["stack", "output", "--json"]));
    assert.equal(outputs.model, model);
    const [held] = await client.call<{ id: number; name: string; info: string; order: string; state: string }[]>("ir.model", "search_read", {
      domain: [["model", "=", model]],
      fields: ["name", "info", "order", "state"],
    });
    assert.deepEqual(held, { id: outputs.modelId, name: "Library Book", info: "Books we lend", order: "x_name asc", state: "manual" });
    const rows = await client.call(model, "search_read", { domain: [], fields: ["x_name", "x_author"] });
    assert.deepEqual(rows, [{ id: outputs.recordId, x_name: "The Name of the Rose", x_author: "Umberto Eco" }]);

    const steady = await project.pulumi(["preview", "--expect-no-changes"]);
    assert.equal(steady.code, 0, `a second preview shows no change:\n${steady.stdout}${steady.stderr}`);

    // Drift made in Odoo: refresh finds it, the next preview wants it back, up puts it back.
    await client.call(model, "write", { ids: [outputs.recordId], vals: { x_author: "U. Eco" } });
    await project.must(["refresh", "--yes", "--skip-preview"]);
    const record = (await project.exported()).resources.find((r) => r.type === "odoo:index:Record")!;
    assert.deepEqual(record.outputs.values, { x_name: "The Name of the Rose", x_author: "U. Eco" });
    const drifted = await project.pulumi(["preview", "--expect-no-changes", "--diff"]);
    assert.notEqual(drifted.code, 0, "the preview after the drift shows a change");
    assert.match(drifted.stdout, /~ odoo:index:Record: \(update\)/);
    await project.must(["up", "--yes", "--skip-preview"]);
    assert.deepEqual(await client.call(model, "search_read", { domain: [], fields: ["x_author"] }), [{ id: outputs.recordId, x_author: "Umberto Eco" }]);

    // The key is in the state only encrypted: the provider's configuration, and every resource's.
    const state = await project.exported();
    assert.equal(state.text.includes(target.apiKey), false, "the API key is not in the state in plain text");
    const provider = state.resources.find((r) => r.type === "pulumi:providers:odoo")!;
    assert.ok(provider.inputs.apiKey.ciphertext, "the provider's apiKey is kept as a secret");
    assert.deepEqual(
      state.resources.filter((r) => r.type.startsWith("odoo:index:")).map((r) => r.type),
      ["odoo:index:CustomModel", "odoo:index:CustomField", "odoo:index:Record"],
    );

    await project.must(["destroy", "--yes", "--skip-preview"]);
    assert.deepEqual(await client.call("ir.model", "search", { domain: [["model", "=", model]] }), []);
    assert.deepEqual(await client.call("ir.model.fields", "search", { domain: [["model", "=", model]] }), []);
    project.passed();
  });

  test("pulumi import: a field and a record made by hand come under Pulumi as a person would declare them", async (t) => {
    const suffix = randomBytes(3).toString("hex");
    const field = `x_py_rating_${suffix}`;
    const project = new PluginProject(cliDir, pythonExample("quickstart-python"), venv);
    t.after(() => project.sayIfFailed());
    const [partnerModel] = await client.call<number[]>("ir.model", "search", { domain: [["model", "=", "res.partner"]] });
    const [fieldId] = await client.call<number[]>("ir.model.fields", "create", {
      vals_list: [{ model_id: partnerModel, name: field, ttype: "integer", field_description: "Rating" }],
    });
    const [tagId] = await client.call<number[]>("res.partner.category", "create", { vals_list: [{ name: `Imported ${suffix}`, color: 0 }] });
    await project.stack("imports", target);

    // Each import writes the code that declares what it imported; the program made of it shows no change.
    const code = path.join(project.dir, "imported.py");
    await project.must(["import", "odoo:index:CustomField", "rating", `res.partner.${field}`, "--yes", "--out", code]);
    const fieldCode = readFileSync(code, "utf8");
    await project.must(["import", "odoo:index:Record", "tag", `res.partner.category,${tagId}`, "--yes", "--out", code]);
    const recordCode = readFileSync(code, "utf8");
    assert.equal(
      fieldCode,
      `import pulumi\nimport pulumi_odoo as odoo\n\nrating = odoo.CustomField("rating",\n    label="Rating",\n    model="res.partner",\n    name="${field}",\n    type="integer",\n    opts = pulumi.ResourceOptions(protect=True))\n`,
    );
    assert.equal(
      recordCode,
      `import pulumi\nimport pulumi_odoo as odoo\n\ntag = odoo.Record("tag",\n    model="res.partner.category",\n    values={\n        "color": 0,\n        "name": "Imported ${suffix}",\n    },\n    opts = pulumi.ResourceOptions(protect=True))\n`,
    );
    writeFileSync(path.join(project.dir, "__main__.py"), `${fieldCode}\n${recordCode.split("\n").slice(3).join("\n")}`);
    const imported = (await project.exported()).resources.filter((r) => r.type.startsWith("odoo:index:"));
    assert.deepEqual(
      imported.map((r) => ({ type: r.type, id: r.id, inputs: r.inputs })),
      [
        { type: "odoo:index:CustomField", id: String(fieldId), inputs: { model: "res.partner", name: field, type: "integer", label: "Rating" } },
        { type: "odoo:index:Record", id: String(tagId), inputs: { model: "res.partner.category", values: { name: `Imported ${suffix}`, color: 0 } } },
      ],
    );
    const generated = await project.pulumi(["preview", "--expect-no-changes"]);
    assert.equal(generated.code, 0, `the generated program previews with no change:\n${generated.stdout}${generated.stderr}`);
    const refused = await project.pulumi(["import", "odoo:index:Record", "gone", "res.partner.category,999999999", "--yes", "--generate-code=false"]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stdout + refused.stderr, /resource 'res\.partner\.category,999999999' does not exist/);

    // Drift on an imported record is found like any other's; nothing changed, nothing is found.
    const steady = await project.pulumi(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
    assert.equal(steady.code, 0, `refresh after the import finds no change:\n${steady.stdout}${steady.stderr}`);

    // Imported resources are protected: destroy refuses until they are unprotected, then deletes them.
    const guarded = await project.pulumi(["destroy", "--yes", "--skip-preview"]);
    assert.notEqual(guarded.code, 0);
    assert.deepEqual(await client.call("res.partner.category", "search", { domain: [["id", "=", tagId]] }), [tagId]);
    await project.must(["state", "unprotect", "--all", "--yes"]);
    writeFileSync(path.join(project.dir, "__main__.py"), "");
    await project.must(["destroy", "--yes", "--skip-preview"]);
    assert.deepEqual(await client.call("res.partner.category", "search", { domain: [["id", "=", tagId]] }), []);
    assert.deepEqual(await client.call("ir.model.fields", "search", { domain: [["id", "=", fieldId]] }), []);
    project.passed();
  });

  test("pulumi import in a TypeScript project: the code it writes uses the plugin's SDK and previews with no change", async (t) => {
    const suffix = randomBytes(3).toString("hex");
    const [tagId] = await client.call<number[]>("res.partner.category", "create", { vals_list: [{ name: `Imported ${suffix}`, color: 0 }] });
    const project = new PluginProject(cliDir, typescriptProject());
    t.after(() => project.sayIfFailed());
    await installNodeSdk(project.dir);
    await compileProgram(project.dir);
    await project.stack("imports", target);
    const code = path.join(project.dir, "index.ts");
    await project.must(["import", "odoo:index:Record", "tag", `res.partner.category,${tagId}`, "--yes", "--out", code]);
    assert.equal(
      readFileSync(code, "utf8"),
      `import * as pulumi from "@pulumi/pulumi";\nimport * as odoo from "@pulumi-odoo/odoo";\n\nconst tag = new odoo.Record("tag", {\n    model: "res.partner.category",\n    values: {\n        color: 0,\n        name: "Imported ${suffix}",\n    },\n}, {\n    protect: true,\n});\n`,
    );
    await compileProgram(project.dir);
    const generated = await project.pulumi(["preview", "--expect-no-changes"]);
    assert.equal(generated.code, 0, `the generated program previews with no change:\n${generated.stdout}${generated.stderr}`);
    await project.must(["state", "unprotect", "--all", "--yes"]);
    await project.must(["destroy", "--yes", "--skip-preview"]);
    assert.deepEqual(await client.call("res.partner.category", "search", { domain: [["id", "=", tagId]] }), []);
    project.passed();
  });
});
