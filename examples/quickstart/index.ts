import * as odoo from "pulumi-odoo";

// A custom "Library Book" model with its access rules. Run it against any Odoo 19 (or 14–18)
// given odoo:url, odoo:apiKey (secret) and, where the server holds several, odoo:database.

const book = new odoo.CustomModel("book", {
  model: "x_library_book",
  name: "Library Book",
  description: "Books we lend",
  order: "x_name asc",
});

export const modelId = book.modelId;
export const model = book.model;
