import * as odoo from "pulumi-odoo";

// A small lending library as a custom Odoo app: books and loans, with char, selection, many2one,
// one2many, many2many and monetary fields. Passing one resource's output to another (book.model,
// loanBook.name) tells Pulumi the order: models before their fields, a one2many after its inverse.

const book = new odoo.CustomModel("book", {
  model: "x_library_book",
  name: "Library Book",
  description: "Books we lend",
  order: "x_name asc",
});

const loan = new odoo.CustomModel("loan", {
  model: "x_library_loan",
  name: "Library Loan",
  access: [
    { group: "base.group_user", read: true, write: true, create: true, unlink: true },
    { group: "base.group_portal", read: true },
  ],
});

const isbn = new odoo.CustomField("isbn", { model: book.model, name: "x_isbn", type: "char", label: "ISBN", size: 13, index: true, help: "13 digits" });

const condition = new odoo.CustomField("condition", {
  model: book.model,
  name: "x_condition",
  type: "selection",
  label: "Condition",
  selection: [
    { value: "new", label: "New" },
    { value: "good", label: "Good" },
    { value: "worn", label: "Worn" },
  ],
});

const currency = new odoo.CustomField("currency", { model: book.model, name: "x_currency_id", type: "many2one", relation: "res.currency", label: "Currency" });
const price = new odoo.CustomField("price", { model: book.model, name: "x_price", type: "monetary", label: "Replacement price", currencyField: currency.name });

const tags = new odoo.CustomField("tags", { model: book.model, name: "x_tag_ids", type: "many2many", relation: "res.partner.category", label: "Tags" });

const loanBook = new odoo.CustomField("loan-book", {
  model: loan.model,
  name: "x_book_id",
  type: "many2one",
  relation: book.model,
  label: "Book",
  onDelete: "restrict",
  required: true,
});
const borrower = new odoo.CustomField("loan-borrower", {
  model: loan.model,
  name: "x_borrower_id",
  type: "many2one",
  relation: "res.partner",
  label: "Borrower",
});
const due = new odoo.CustomField("loan-due", { model: loan.model, name: "x_due_date", type: "date", label: "Due date" });

new odoo.CustomField("loans", { model: book.model, name: "x_loan_ids", type: "one2many", relation: loan.model, relationField: loanBook.name, label: "Loans" });

// The app in the web client: "Library" in the home menu opens the books' list and form, and
// "Loans" sits under it. The views name custom fields, so they wait for them (dependsOn).
const library = new odoo.ModelUi(
  "library",
  {
    model: book.model,
    name: "Library",
    listFields: ["x_name", "x_isbn", "x_condition"],
    formFields: ["x_name", "x_isbn", "x_condition", "x_price", "x_currency_id", "x_tag_ids"],
    xmlIdPrefix: "library.books",
  },
  { dependsOn: [isbn, condition, currency, price, tags] },
);
new odoo.ModelUi(
  "loans-ui",
  {
    model: loan.model,
    name: "Loans",
    listFields: ["x_name", "x_book_id", "x_borrower_id", "x_due_date"],
    parentMenu: library.menuId,
    xmlIdPrefix: "library.loans",
  },
  { dependsOn: [loanBook, borrower, due] },
);

// A few books to lend: they show in the list.
for (const [key, title, code] of [
  ["dune", "Dune", "9780441013593"],
  ["hobbit", "The Hobbit", "9780547928227"],
]) {
  new odoo.Record(key, { model: book.model, values: { x_name: title, x_isbn: code, x_condition: "good" } }, { dependsOn: [isbn, condition] });
}

export const libraryMenu = library.menuId;
export const bookModel = book.model;
export const loanModel = loan.model;
