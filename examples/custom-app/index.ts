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

new odoo.CustomField("isbn", { model: book.model, name: "x_isbn", type: "char", label: "ISBN", size: 13, index: true, help: "13 digits" });

new odoo.CustomField("condition", {
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
new odoo.CustomField("price", { model: book.model, name: "x_price", type: "monetary", label: "Replacement price", currencyField: currency.name });

new odoo.CustomField("tags", { model: book.model, name: "x_tag_ids", type: "many2many", relation: "res.partner.category", label: "Tags" });

const loanBook = new odoo.CustomField("loan-book", {
  model: loan.model,
  name: "x_book_id",
  type: "many2one",
  relation: book.model,
  label: "Book",
  onDelete: "restrict",
  required: true,
});
new odoo.CustomField("loan-borrower", { model: loan.model, name: "x_borrower_id", type: "many2one", relation: "res.partner", label: "Borrower" });
new odoo.CustomField("loan-due", { model: loan.model, name: "x_due_date", type: "date", label: "Due date" });

new odoo.CustomField("loans", { model: book.model, name: "x_loan_ids", type: "one2many", relation: loan.model, relationField: loanBook.name, label: "Loans" });

export const bookModel = book.model;
export const loanModel = loan.model;
