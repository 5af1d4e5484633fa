"""A custom "Library Book" model, one of its fields and a book, in Python.

Run it against any Odoo 19 (or 14-18) given odoo:url, odoo:apiKey (secret) and, where the server
holds several, odoo:database (odoo:login on 14-18). `model` in the stack's configuration names the
model otherwise (x_library_book by default).
"""

import pulumi
import pulumi_odoo as odoo

config = pulumi.Config()
name = config.get("model") or "x_library_book"

book = odoo.CustomModel(
    "book",
    model=name,
    name="Library Book",
    description="Books we lend",
    order="x_name asc",
)

author = odoo.CustomField(
    "author",
    model=book.model,
    name="x_author",
    type="char",
    label="Author",
)

first = odoo.Record(
    "first-book",
    model=book.model,
    values={"x_name": "The Name of the Rose", "x_author": "Umberto Eco"},
    opts=pulumi.ResourceOptions(depends_on=[author]),
)

pulumi.export("modelId", book.model_id)
pulumi.export("model", book.model)
pulumi.export("recordId", first.record_id)
