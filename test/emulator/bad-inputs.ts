import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type { resources as host } from "../../provider/host";
import { tempDir } from "../temp";

// The bad-input catalogue: bad inputs across the eight resources, each with the property its check
// failure must name. Run against the provider's check (bad-input-catalogue.test.ts) and through the
// real CLI's `pulumi preview` (test/engine/bad-input-cli.test.ts).

const dir = tempDir("catalogue-");
const dump = path.join(dir, "ok.dump");
writeFileSync(dump, "dump");
const aFile = path.join(dir, "a-file");
writeFileSync(aFile, "x");

export type Case = [resource: keyof typeof host, name: string, inputs: Record<string, unknown>, property: string];

const model = { model: "x_book", name: "Book" };
const field = { model: "x_book", name: "x_isbn", type: "char" };
const record = { model: "res.partner", values: { name: "Acme" } };
const recordSet = { model: "res.partner.category", records: { "acme.tag_vip": { name: "VIP" } } };
const database = { name: "staging", copyFrom: "production" };
const app = { name: "contacts" };
const settings = { values: { show_effect: false } };
const upgrade = { email: "ops@example.com", target: "19.0", aim: "test", dumpFile: dump, contract: "M1" };

export const cases: Case[] = [
  ["customModel", "model without x_", { ...model, model: "book" }, "model"],
  ["customModel", "model in upper case", { ...model, model: "x_Book" }, "model"],
  ["customModel", "model with a space", { ...model, model: "x_my book" }, "model"],
  ["customModel", "model with nothing after x_", { ...model, model: "x_" }, "model"],
  ["customModel", "empty label", { ...model, name: " " }, "name"],
  ["customModel", "order that is not fields", { ...model, order: "name; drop" }, "order"],
  ["customModel", "access group not an external id", { ...model, access: [{ group: "Internal User" }] }, "access.0.group"],
  ["customModel", "access group twice", { ...model, access: [{ group: "base.group_user" }, { group: "base.group_user" }] }, "access"],
  ["customModel", "transient as a string", { ...model, transient: "yes" }, "transient"],
  ["customModel", "typo in a key", { ...model, descripton: "x" }, "descripton"],
  ["customModel", "malformed connection URL", { ...model, connection: { url: "odoo.example.com" } }, "connection.url"],
  ["customModel", "empty API key", { ...model, connection: { apiKey: "" } }, "connection.apiKey"],
  ["customModel", "typo in a connection key", { ...model, connection: { apikey: "k" } }, "connection.apikey"],
  ["customField", "name without x_", { ...field, name: "isbn" }, "name"],
  ["customField", "name with a dash", { ...field, name: "x_isbn-13" }, "name"],
  ["customField", "unknown type", { ...field, type: "varchar" }, "type"],
  ["customField", "a properties field (Odoo cannot give a custom one its definition)", { ...field, type: "properties" }, "type"],
  ["customField", "many2one without relation", { ...field, type: "many2one" }, "relation"],
  ["customField", "one2many without relationField", { ...field, type: "one2many", relation: "x_loan" }, "relationField"],
  ["customField", "selection without options", { ...field, type: "selection" }, "selection"],
  [
    "customField",
    "selection with a value twice",
    {
      ...field,
      type: "selection",
      selection: [
        { value: "a", label: "A" },
        { value: "a", label: "B" },
      ],
    },
    "selection",
  ],
  ["customField", "onDelete outside its set", { ...field, type: "many2one", relation: "res.partner", onDelete: "nope" }, "onDelete"],
  ["customField", "size on an integer", { ...field, type: "integer", size: 3 }, "size"],
  ["customField", "size of zero", { ...field, size: 0 }, "size"],
  ["customField", "compute without depends", { ...field, compute: "x" }, "depends"],
  ["customField", "typo in a key", { ...field, lable: "ISBN" }, "lable"],
  ["record", "model not a technical name", { ...record, model: "Res Partner" }, "model"],
  ["record", "values not an object", { ...record, values: ["name"] }, "values"],
  ["record", "field name with a capital", { ...record, values: { Name: "x" } }, "values.Name"],
  ["record", "unknown field, with a suggestion", { ...record, values: { nmae: "x" } }, "values.nmae"],
  ["record", "string into an integer", { ...record, values: { name: "x", color: "red" } }, "values.color"],
  ["record", "string into a float", { ...record, values: { name: "x", credit_limit: "12" } }, "values.credit_limit"],
  ["record", "number into a char", { ...record, values: { name: 12 } }, "values.name"],
  ["record", "date in day/month/year", { ...record, values: { name: "x", date: "31/01/2026" } }, "values.date"],
  ["record", "date that does not exist", { ...record, values: { name: "x", date: "2026-02-31x" } }, "values.date"],
  ["record", "selection value outside its options", { ...record, values: { name: "x", type: "bogus" } }, "values.type"],
  ["record", "one2many set on the parent", { ...record, values: { name: "x", child_ids: [1] } }, "values.child_ids"],
  ["record", "many2one as a name", { ...record, values: { name: "x", country_id: "Belgium" } }, "values.country_id"],
  ["record", "many2many not a list", { ...record, values: { name: "x", category_id: 3 } }, "values.category_id"],
  ["record", "boolean as a string", { ...record, values: { name: "x", is_company: "true" } }, "values.is_company"],
  ["record", "xmlId without a module", { ...record, xmlId: "acme" }, "xmlId"],
  ["record", "onDelete outside its set", { ...record, onDelete: "drop" }, "onDelete"],
  ["record", "archive on a model without active", { model: "res.country", values: { name: "X" }, onDelete: "archive" }, "onDelete"],
  ["record", "typo in a key", { ...record, xmlid: "a.b" }, "xmlid"],
  [
    "record",
    "a view whose arch is not XML",
    { model: "ir.ui.view", values: { model: "res.partner", arch: "<list><field name='name'></list>" } },
    "values.arch",
  ],
  [
    "record",
    "a view showing a field its model lacks",
    { model: "ir.ui.view", values: { model: "res.partner", arch: "<list><field name='nme'/></list>" } },
    "values.arch",
  ],
  ["record", "a menu under a menu that does not exist", { model: "ir.ui.menu", values: { name: "Books", parent_id: 99999 } }, "values.parent_id"],
  ["record", "a reference without its model", { model: "ir.ui.menu", values: { name: "Books", action: "12" } }, "values.action"],
  ["recordSet", "a key that is not an external id", { ...recordSet, records: { tag_vip: { name: "VIP" } } }, "records.tag_vip"],
  ["recordSet", "a field the model lacks", { ...recordSet, records: { "acme.tag_vip": { nmae: "VIP" } } }, 'records["acme.tag_vip"].nmae'],
  ["recordSet", "a value of the wrong type", { ...recordSet, records: { "acme.tag_vip": { name: "VIP", color: "red" } } }, 'records["acme.tag_vip"].color'],
  [
    "recordSet",
    "rows naming each other in a circle",
    { ...recordSet, records: { "acme.a": { name: "A", parent_id: { __odooRef: "acme.b" } }, "acme.b": { name: "B", parent_id: { __odooRef: "acme.a" } } } },
    'records["acme.a"]',
  ],
  [
    "recordSet",
    "archive on a model without active",
    { ...recordSet, model: "res.country", records: { "acme.x": { name: "X" } }, onDelete: "archive" },
    "onDelete",
  ],
  ["recordSet", "records not an object", { ...recordSet, records: ["acme.tag_vip"] }, "records"],
  ["database", "name with a space", { ...database, name: "my db" }, "name"],
  ["database", "name of one character", { ...database, name: "a" }, "name"],
  ["database", "name starting with a dot", { ...database, name: ".hidden" }, "name"],
  ["database", "copy of itself", { ...database, copyFrom: "staging" }, "copyFrom"],
  ["database", "two sources", { ...database, restoreFrom: dump }, "restoreFrom"],
  ["database", "restore from a missing file", { name: "staging", restoreFrom: path.join(dir, "none.zip") }, "restoreFrom"],
  ["database", "backupBeforeDrop is a file", { ...database, backupBeforeDrop: aFile }, "backupBeforeDrop"],
  ["database", "fresh without an admin password", { name: "staging" }, "adminPassword"],
  ["database", "bad language code", { name: "staging", adminPassword: "p", lang: "english" }, "lang"],
  ["database", "bad country code", { name: "staging", adminPassword: "p", countryCode: "BEL" }, "countryCode"],
  ["database", "copy without restoreFrom", { ...database, copy: true }, "copy"],
  ["database", "neutralize on a fresh database", { name: "staging", adminPassword: "p", neutralize: true }, "neutralize"],
  ["database", "fresh-only property with copyFrom", { ...database, demo: true }, "demo"],
  ["database", "typo in a key", { ...database, deletionProtecton: false }, "deletionProtecton"],
  ["upgradeRequest", "aim outside its set", { ...upgrade, aim: "staging" }, "aim"],
  ["upgradeRequest", "target not a version", { ...upgrade, target: "19" }, "target"],
  ["upgradeRequest", "email without a domain", { ...upgrade, email: "ops" }, "email"],
  ["upgradeRequest", "dump file missing", { ...upgrade, dumpFile: path.join(dir, "none.dump") }, "dumpFile"],
  ["upgradeRequest", "SFTP without a key", { ...upgrade, transfer: "sftp" }, "sshKey"],
  ["module", "a name with a capital", { name: "Contacts" }, "name"],
  ["module", "a display name, not the technical one", { name: "Sales Management" }, "name"],
  ["module", "a module the Apps list does not know", { name: "contact" }, "name"],
  ["module", "an uninstallable module", { name: "accountant" }, "name"],
  ["module", "a negative busy timeout", { ...app, busyTimeoutSeconds: -5 }, "busyTimeoutSeconds"],
  ["module", "upgradeOn as a number", { ...app, upgradeOn: 20261124 }, "upgradeOn"],
  ["module", "typo in a key", { ...app, uninstallOnDestory: true }, "uninstallOnDestory"],
  ["settings", "no values", { values: {} }, "values"],
  ["settings", "a key that is no setting", { values: { show_efect: false } }, "values.show_efect"],
  ["settings", "a boolean setting given a string", { values: { show_effect: "no" } }, "values.show_effect"],
  ["settings", "a computed setting", { values: { company_count: 3 } }, "values.company_count"],
  ["settings", "a company that is not an id", { ...settings, company: "My Company" }, "company"],
  ["settings", "typo in a key", { ...settings, module: ["uom"] }, "module"],
  ["upgradeRequest", "a key that is not a key", { ...upgrade, sshKey: "not a key" }, "sshKey"],
  ["upgradeRequest", "transfer outside its set", { ...upgrade, transfer: "ftp" }, "transfer"],
  ["upgradeRequest", "negative timeout", { ...upgrade, timeoutMinutes: -1 }, "timeoutMinutes"],
  ["upgradeRequest", "poll interval of zero", { ...upgrade, pollSeconds: 0 }, "pollSeconds"],
  ["upgradeRequest", "malformed platform URL", { ...upgrade, platformUrl: "upgrade.odoo.com" }, "platformUrl"],
  ["upgradeRequest", "no contract anywhere", { email: "ops@example.com", target: "19.0", aim: "test", dumpFile: dump }, "contract"],
  ["upgradeRequest", "typo in a key", { ...upgrade, dumpfile: dump }, "dumpfile"],
];
