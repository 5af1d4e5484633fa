import * as odoo from "pulumi-odoo";

// Reference data as code: partner tags, a company with its contacts, and records of a custom
// model. External ids (xmlId) make every record adoptable: applying this to a database that
// already has them updates them instead of creating duplicates.

const vip = new odoo.Record("tag-vip", { model: "res.partner.category", values: { name: "VIP" }, xmlId: "pulumi_demo.tag_vip" });
const supplier = new odoo.Record("tag-supplier", { model: "res.partner.category", values: { name: "Supplier" }, xmlId: "pulumi_demo.tag_supplier" });

const acme = new odoo.Record("acme", {
  model: "res.partner",
  values: {
    name: "Acme",
    is_company: true,
    email: "hello@acme.example",
    country_id: odoo.ref("base.be"), // a many2one by external id, resolved when applied
    category_id: [vip.recordId, supplier.recordId], // a many2many: the full set
  },
  xmlId: "pulumi_demo.acme",
  onDelete: "archive", // destroy archives it instead of deleting
});

new odoo.Record("acme-jane", {
  model: "res.partner",
  values: { name: "Jane Doe", parent_id: acme.recordId, email: "jane@acme.example", country_id: odoo.ref("base.be") },
  xmlId: "pulumi_demo.acme_jane",
});

// Records of a custom model declared in the same program.
const room = new odoo.CustomModel("room", { model: "x_meeting_room", name: "Meeting Room", forceDestroy: true });
const seats = new odoo.CustomField("room-seats", { model: room.model, name: "x_seats", type: "integer", label: "Seats" });
new odoo.Record("room-blue", { model: room.model, values: { x_name: "Blue", x_seats: 8 }, xmlId: "pulumi_demo.room_blue" }, { dependsOn: [seats] });

export const acmeId = acme.recordId;
