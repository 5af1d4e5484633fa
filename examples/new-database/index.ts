import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// A database built from nothing to a working configuration in one program: a fresh database, the
// apps it runs, their settings, and the reference data that needs them. The database's admin makes
// an API key at creation (a secret output): every other resource signs in with it.

const cfg = new pulumi.Config();

const db = new odoo.Database("erp", {
  name: cfg.get("database") ?? `${pulumi.getStack()}-erp`,
  adminPassword: cfg.requireSecret("adminPassword"),
  lang: "en_US",
  // A disposable database in this example; leave the guard on (the default) for one that matters.
  deletionProtection: cfg.getBoolean("deletionProtection") ?? false,
});

// Inside the new database, with its own key (login: Odoo 17 and older sign the key in with it).
const connection = { database: db.name, apiKey: db.apiKey, login: "admin" };

const contacts = new odoo.Module("contacts", { name: "contacts", connection });
const uom = new odoo.Module("uom", { name: "uom", connection });

new odoo.Settings("settings", {
  values: { group_multi_currency: true, show_effect: false },
  modules: [contacts.name, uom.name],
  connection,
});

const keyAccount = new odoo.Record(
  "key-account",
  {
    model: "res.partner.category",
    values: { name: "Key account" },
    xmlId: "erp_setup.tag_key_account",
    connection,
  },
  { dependsOn: [contacts] },
);

new odoo.Record(
  "acme",
  {
    model: "res.partner",
    values: { name: "Acme Corporation", is_company: true, category_id: [keyAccount.recordId] },
    xmlId: "erp_setup.partner_acme",
    connection,
  },
  { dependsOn: [contacts] },
);

export const database = db.name;
export const apps = pulumi.all([contacts.installedWith, uom.state]).apply(([withContacts, uomState]) => ({ contacts: withContacts, uom: uomState }));
