import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import type { RunResult } from "../engine/engine";
import { Browser, chromiumMissing } from "./browser";
import { assertClean, describeReal, examples, useRealEngine } from "./harness";

// examples/custom-app as a person sees it: after `up`, headless Chromium logs into the real Odoo's
// web client, opens the Library app from the apps menu, and reads the books in its list. The
// screenshot is saved, and its path printed, for the CI log.

describeReal("acceptance: examples/custom-app in a real browser", (target) => {
  const ctx = useRealEngine(target, examples("custom-app"));
  const missing = chromiumMissing() ?? (target.adminPassword ? undefined : "ODOO_ADMIN_PASSWORD is not set (npm run real-odoo prints it as adminPassword)");

  test("the Library app opens a list of the example's books, with a form behind each", async (t) => {
    if (missing && process.env.CI === "true") assert.fail(`CI=true, but the browser test cannot run: ${missing}`);
    if (missing) return t.skip(missing);
    const browser = new Browser();
    let destroyed: RunResult | undefined;
    try {
      assertClean(await ctx.engine.up());
      await browser.start();
      await browser.goto(`${target.url}/web/login`);
      await browser.waitFor("document.querySelector('form.oe_login_form')", "the login form");
      // Odoo builds a web client's asset bundles at their first request. On a fresh prefork 19, a first
      // visit that made them got its scripts and then never started (twice in CI: no request of the web
      // client after its script, no error in the page or the server; a second visit starts): the page
      // logs in, has Odoo build the assets of the page the login leads to (/odoo on 19, /web on 17),
      // then visits that page.
      const landing = await browser.evaluate<{ url: string; assets: string[] }>(`(async () => {
        const form = document.querySelector("form.oe_login_form");
        const body = new URLSearchParams(new FormData(form));
        body.set("login", ${JSON.stringify(target.login ?? "admin")});
        body.set("password", ${JSON.stringify(target.adminPassword)});
        const landed = await fetch(form.getAttribute("action") || "/web/login", { method: "POST", body });
        const assets = [...(await landed.text()).matchAll(/(?:src|href)="(\\/web\\/assets\\/[^"]+)"/g)].map((match) => match[1]);
        for (const asset of assets) await fetch(asset);
        return { url: landed.url, assets };
      })()`);
      assert.ok(
        landing.assets.some((asset) => asset.endsWith(".js")),
        `no script among the assets of ${landing.url}: ${JSON.stringify(landing.assets)}`,
      );
      await browser.goto(landing.url);
      await browser.waitFor(`!!document.querySelector(".o_main_navbar")`, "the web client");
      // The apps menu opens once the web client is ready: until Library shows, open it (again).
      await browser.waitFor(
        `(() => {
          const library = [...document.querySelectorAll(".o_app")].find((item) => item.innerText.trim() === "Library");
          if (library) return library.click(), true;
          const toggle = document.querySelector(".o_navbar_apps_menu .dropdown-toggle");
          if (toggle && toggle.getAttribute("aria-expanded") !== "true") toggle.click();
          return false;
        })()`,
        "Library in the apps menu",
      );
      const rows = await browser.waitFor<string[][]>(
        `(() => { const rows = [...document.querySelectorAll(".o_list_view .o_data_row")].map((row) => [...row.querySelectorAll("td.o_data_cell")].map((cell) => cell.innerText.trim())); return rows.length >= 2 && rows; })()`,
        "the books in the list",
      );
      const brand = await browser.evaluate<string>(`document.querySelector(".o_menu_brand")?.innerText.trim() ?? ""`);
      const directory = path.join(tmpdir(), "pulumi-odoo-screenshots");
      mkdirSync(directory, { recursive: true });
      const file = path.join(directory, `custom-app-odoo-${ctx.version}.png`);
      writeFileSync(file, await browser.screenshot());
      console.log(`# screenshot of the Library list on Odoo ${ctx.version}: ${file}`);
      assert.equal(brand, "Library");
      assert.deepEqual(rows, [
        ["Dune", "9780441013593", "Good"],
        ["The Hobbit", "9780547928227", "Good"],
      ]);
      // A row opens the form, with the book's fields. The web client may render the list again
      // between two of our looks (CI once found no row a moment after reading both): until the form
      // shows, click the first row wherever it now is.
      const title = await browser.waitFor<string>(
        `(() => {
          const name = document.querySelector(".o_form_view [name=x_name] input");
          if (name) return name.value;
          document.querySelector(".o_list_view .o_data_row td.o_data_cell")?.click();
          return false;
        })()`,
        "the book's form",
      );
      assert.equal(title, "Dune");
    } finally {
      // Whatever failed, what the up made goes, so that the suites after this one start clean.
      destroyed = await ctx.engine.destroy();
      await browser.stop();
    }
    assertClean(destroyed);
  });
});
