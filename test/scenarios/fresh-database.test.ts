import assert from "node:assert/strict";
import { before, test } from "node:test";
import { OdooClient } from "../../provider/client/odoo-client";
import { DbManagerClient } from "../../provider/dbmanager/db-manager-client";
import { assertClean, ops, secretsIn } from "../acceptance/harness";
import { describeScenario, useTarget } from "./target";

// Issue 28, point 2, on the emulator or a real Odoo (ODOO_ACC=1): a program that creates its
// database connects every other resource with the database's key, which preview cannot know. Preview
// checks what it can, and says under each resource that Odoo could not be asked and why; up checks
// each of them the same way once the key is known, before writing anything of it.

// Under each resource, as the CLI's diagnostics show it (our driver's runtime prints it so marked).
const UNCHECKED =
  /^info: (?:\[runtime\] )?not checked against Odoo at preview: connection\.apiKey is another resource's output, known once up has made it; up runs the same checks before writing anything of this resource$/gm;
/** The three mistakes, as check says them whenever it can ask Odoo. */
const REFUSALS = [
  "app: name: no module 'contcts' in the database's Apps list: did you mean 'contacts'? A module added to the server's addons since the list was last updated appears with updateList: true.",
  "settings: values.show_efect: 'show_efect' is not a setting of res.config.settings (the Settings form): did you mean 'show_effect'?",
  "tag: values.nmae: 'nmae' is not a field of res.partner.category: did you mean 'name'?",
];
const ADMIN_PASSWORD = "fresh-admin-0123456789";

describeScenario(
  "a program that creates its database: what preview cannot check, up checks first",
  (version) => {
    const ctx = useTarget("fresh-database", version);
    const set = (key: string, value: unknown) => ctx.engine.setConfig(`test:${key}`, typeof value === "string" ? value : JSON.stringify(value));
    let name = "";
    let masterPassword = "";
    const databases = () => new DbManagerClient(ctx.url, masterPassword).list();
    const inside = async <T>(look: (client: OdooClient) => Promise<T>) => {
      const apiKey = ctx.engine.state.get([...ctx.engine.state.keys()].find((urn) => urn.endsWith("::db"))!)!.outputs.apiKey as string;
      const client = new OdooClient({ url: ctx.url, database: name, apiKey, login: ctx.version < 19 ? "admin" : undefined });
      try {
        return await look(client);
      } finally {
        await client.close();
      }
    };

    before(() => {
      // Named after the server's own database: PostgreSQL's names are shared by every server on it.
      name = `${ctx.database}-fresh`;
      masterPassword = ctx.real?.masterPassword ?? ctx.emulator!.masterPassword;
      if (ctx.emulator) ctx.engine.setConfig("odoo:masterPassword", masterPassword, true);
      set("name", name);
      ctx.engine.setConfig("test:adminPassword", ADMIN_PASSWORD, true);
      // Three mistakes only the server can see: a module, a setting and a field that do not exist.
      set("module", "contcts");
      set("settings", { show_efect: false });
      set("tagValues", { nmae: "Key account" });
    });

    test("preview finds nothing wrong it could check, and says under each of the three resources that Odoo could not be asked", async () => {
      const preview = await ctx.engine.preview();
      assert.deepEqual(preview.errors, []);
      assert.deepEqual(ops(preview), ["create app", "create db", "create settings", "create tag"]);
      assert.equal(ctx.engine.logs.join("").match(UNCHECKED)?.length, 3);
      assert.equal((await databases()).includes(name), false);
    });

    test("up makes the database, then refuses a mistake in the same sentence before writing anything of it", async () => {
      const up = await ctx.engine.up({ continueOnError: true });
      // The real engine stops at the first check that fails (--continue-on-error goes on past steps
      // that fail, not checks); our driver goes on, and finds all three.
      assert.ok(up.errors.length >= 1, "a refusal");
      for (const error of up.errors) assert.ok(REFUSALS.includes(error), error);
      assert.deepEqual(
        [...ctx.engine.state.values()].map((resource) => resource.name),
        ["db"],
      );
      assert.equal((await databases()).includes(name), true);
      assert.deepEqual(await inside((client) => client.call("res.partner.category", "search_count", { domain: [["name", "=", "Key account"]] })), 0);
    });

    test("with the key known, preview refuses each of the three with the same sentence until it is mended", async () => {
      // The real engine stops a preview too at the first resource whose check fails: mend what it
      // says, preview again, until all three are said.
      const mends: Record<string, () => void> = {
        [REFUSALS[0]]: () => set("module", "contacts"),
        [REFUSALS[1]]: () => set("settings", { show_effect: false }),
        [REFUSALS[2]]: () => set("tagValues", { name: "Key account" }),
      };
      const said: string[] = [];
      for (let round = 0; round < REFUSALS.length; round++) {
        const { errors } = await ctx.engine.preview();
        if (!errors.length) break;
        for (const error of errors) {
          assert.ok(mends[error], error);
          said.push(error);
          mends[error]();
        }
      }
      assert.deepEqual(said.sort(), REFUSALS);
      assert.deepEqual((await ctx.engine.preview()).errors, []);
      // Said by the first preview alone, while the key was unknown.
      assert.equal(ctx.engine.logs.join("").match(UNCHECKED)?.length, 3);
    });

    test("mended, up makes the rest; a second preview is empty; destroy drops the database", async () => {
      assertClean(await ctx.engine.up());
      assert.deepEqual(await inside((client) => client.call("res.partner.category", "search_count", { domain: [["name", "=", "Key account"]] })), 1);
      assert.deepEqual((await ctx.engine.preview()).changes, []);
      assertClean(await ctx.engine.destroy());
      assert.equal((await databases()).includes(name), false);
      assert.deepEqual(secretsIn(ctx, [ctx.apiKey, ADMIN_PASSWORD, masterPassword]), []);
    });
  },
  [19, 17],
);
