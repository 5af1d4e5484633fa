import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { checkWith, closest, UNKNOWN } from "../../provider/internal/check";
import { customModelProvider } from "../../provider/resources/custom-model";
import { adopting, configure, effectiveTarget, resetConfiguration, resolveConnection, resolveTarget } from "../../provider/config";
import { diffInDatabase, diffInputs, same } from "../../provider/internal/diff";
import { inputsSchema } from "../../provider/resources/custom-model/inputs";

describe("checkWith", () => {
  const schema = z.strictObject({
    name: z.string().startsWith("x_", "must start with 'x_'"),
    size: z.number().int().optional(),
    nested: z.strictObject({ url: z.string().url() }).optional(),
  });

  test("applies the schema and returns the parsed inputs", () => {
    assert.deepEqual(checkWith(schema, { name: "x_a", __provider: "text" }), { inputs: { name: "x_a" }, failures: [], parsed: { name: "x_a" } });
  });

  test("names the property and suggests the closest for typos, at any depth", () => {
    assert.deepEqual(checkWith(schema, { name: "bad", sise: 2, nested: { ulr: "http://x" } }).failures, [
      { property: "name", reason: "must start with 'x_'" },
      { property: "nested.ulr", reason: "unknown property 'ulr': did you mean 'url'? Valid properties: url." },
      { property: "nested.url", reason: "is required (a string)" },
      { property: "sise", reason: "unknown property 'sise': did you mean 'size'? Valid properties: name, size, nested." },
    ]);
  });

  test("values not known yet at preview are not judged", () => {
    const result = checkWith(schema, { name: UNKNOWN, nested: { url: UNKNOWN } });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.inputs, { name: UNKNOWN, nested: { url: UNKNOWN } });
    // The placeholder does not start with x_: nothing parsed, the rules see the values as given.
    assert.equal(result.parsed, undefined);
  });

  test("closest only suggests near names", () => {
    assert.equal(closest("forcedestroy", ["forceDestroy", "adopt"]), "forceDestroy");
    assert.equal(closest("zzzz", ["forceDestroy", "adopt"]), undefined);
  });

  test("CustomModel defaults: order id, full access for base.group_user", () => {
    const { inputs } = checkWith(inputsSchema(), { model: "x_a", name: "A" });
    assert.deepEqual(inputs, {
      model: "x_a",
      name: "A",
      order: "id",
      transient: false,
      forceDestroy: false,
      adopt: false,
      access: [{ group: "base.group_user", read: true, write: true, create: true, unlink: true }],
    });
  });

  test("CustomModel: an access rule defaults to read only; a group listed twice is refused", () => {
    const { inputs } = checkWith(inputsSchema(), { model: "x_a", name: "A", access: [{ group: "base.group_portal" }] });
    assert.deepEqual((inputs as { access: unknown }).access, [{ group: "base.group_portal", read: true, write: false, create: false, unlink: false }]);
    assert.deepEqual(checkWith(inputsSchema(), { model: "x_a", name: "A", access: [{ group: "base.group_user" }, { group: "base.group_user" }] }).failures, [
      { property: "access", reason: "lists a group more than once" },
    ]);
  });
});

describe("diffInputs", () => {
  test("only declared properties count; replaceOn forces replacement", () => {
    const olds = { model: "x_a", name: "A", modelId: 3, state: "manual", __provider: "old" };
    assert.deepEqual(diffInputs(olds, { model: "x_a", name: "A", __provider: "new" }, ["model"]), {
      changes: false,
      changed: [],
      replaces: [],
      stables: [],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(diffInputs(olds, { model: "x_b", name: "B" }, ["model"]).replaces, ["model"]);
    assert.deepEqual(diffInputs(olds, { model: "x_a", name: "B" }, ["model"]).changed, ["name"]);
  });

  test("nested replaceOn paths and unknowns", () => {
    const olds = { connection: { url: "http://a", apiKey: "k1" } };
    assert.deepEqual(diffInputs(olds, { connection: { url: "http://a", apiKey: "k2" } }, ["connection.url"]).replaces, []);
    assert.deepEqual(diffInputs(olds, { connection: { url: "http://b", apiKey: "k1" } }, ["connection.url"]).replaces, ["connection"]);
    assert.deepEqual(diffInputs({ name: "A" }, { name: UNKNOWN }, []).changed, ["name"]);
  });

  test("same: absent equals undefined; arrays by order", () => {
    assert.equal(same({ a: 1, b: undefined }, { a: 1 }), true);
    assert.equal(same([1, 2], [2, 1]), false);
  });
});

describe("diffInDatabase: replace only when the target database changes", () => {
  test("an explicit connection naming the configured server is an update; another server replaces", () => {
    configure({ get: (key: string) => ({ "odoo:url": "https://odoo.example.com", "odoo:database": "prod" })[key] });
    try {
      const olds = { model: "x_a", name: "A" };
      const same = diffInDatabase(olds, { ...olds, connection: { url: "https://odoo.example.com/", database: "prod", apiKey: "k" } }, ["model"], {
        deleteBeforeReplace: true,
      });
      assert.deepEqual({ changed: same.changed, replaces: same.replaces }, { changed: ["connection"], replaces: [] });
      const moved = diffInDatabase(olds, { ...olds, connection: { url: "https://odoo.example.com", database: "staging" } }, ["model"], {
        deleteBeforeReplace: true,
      });
      assert.deepEqual({ replaces: moved.replaces, deleteBeforeReplace: moved.deleteBeforeReplace }, { replaces: ["connection"], deleteBeforeReplace: false });
      assert.deepEqual(diffInDatabase({ ...olds, connection: { apiKey: "k1" } }, { ...olds, connection: { apiKey: "k2" } }, ["model"]).replaces, []);
    } finally {
      resetConfiguration();
    }
  });
});

describe("adopting: adopt as declared, or every resource of a run with PULUMI_ODOO_ADOPT", () => {
  test("the variable's values that mean yes, and those that do not", () => {
    const saved = process.env.PULUMI_ODOO_ADOPT;
    try {
      const seen: Record<string, [boolean, boolean]> = {};
      for (const value of [undefined, "", "true", "TRUE", "1", "yes", "false", "0", "no"]) {
        if (value === undefined) delete process.env.PULUMI_ODOO_ADOPT;
        else process.env.PULUMI_ODOO_ADOPT = value;
        seen[String(value)] = [adopting(undefined), adopting(true)];
      }
      assert.deepEqual(seen, {
        undefined: [false, true],
        "": [false, true],
        true: [true, true],
        TRUE: [true, true],
        1: [true, true],
        yes: [true, true],
        false: [false, true],
        0: [false, true],
        no: [false, true],
      });
    } finally {
      if (saved === undefined) delete process.env.PULUMI_ODOO_ADOPT;
      else process.env.PULUMI_ODOO_ADOPT = saved;
    }
  });
});

describe("resolveTarget: one way to a server, one sentence for what is missing", () => {
  const saved = { ...process.env };
  const clean = () => {
    for (const key of Object.keys(process.env)) if (key.startsWith("ODOO_")) delete process.env[key];
    resetConfiguration();
  };
  test("what is missing, where to configure it and what to give instead", () => {
    try {
      clean();
      assert.throws(() => resolveConnection(), {
        code: "ODOO_CONFIG",
        message:
          "this resource needs an Odoo URL and an API key: set odoo:url (ODOO_URL) and odoo:apiKey as a secret (pulumi config set --secret odoo:apiKey …, or ODOO_API_KEY), or give its connection.url and its connection.apiKey",
      });
      configure({ get: (key) => ({ "odoo:url": "https://odoo.example.com/", "odoo:database": "prod" })[key] });
      assert.throws(() => resolveConnection({ database: "staging" }), {
        message:
          "this resource needs an API key: set odoo:apiKey as a secret (pulumi config set --secret odoo:apiKey …, or ODOO_API_KEY), or give its connection.apiKey",
      });
      assert.throws(
        () =>
          resolveTarget({ url: "https://other.example.com" }, ["url", "masterPassword"], "backupDatabase", {
            url: "its url",
            masterPassword: "its masterPassword",
          }),
        {
          message: "backupDatabase needs the master password: set odoo:masterPassword as a secret (ODOO_MASTER_PASSWORD), or give its masterPassword",
        },
      );
      // The resource's own parts win, the configuration fills the rest; ODOO_* variables come last.
      process.env.ODOO_API_KEY = "from-env";
      assert.deepEqual(resolveConnection({ database: "staging" }), {
        url: "https://odoo.example.com/",
        apiKey: "from-env",
        database: "staging",
        login: undefined,
      });
      // One key per server and database, trailing slashes aside, whatever the key.
      assert.equal(effectiveTarget({ url: "https://odoo.example.com", apiKey: "other" }), effectiveTarget());
      assert.notEqual(effectiveTarget({ database: "staging" }), effectiveTarget());
    } finally {
      clean();
      Object.assign(process.env, saved);
    }
  });
});

describe("a resource's own rules while its connection is unknown (a database the program creates)", () => {
  test("a CustomModel without an order passes, and the engine gets its values back as given", async () => {
    const news = { model: "x_loan", name: "Loan", connection: { database: UNKNOWN, apiKey: UNKNOWN, login: "admin" } };
    const result = await customModelProvider.check({}, news);
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.inputs, news);
  });
});
