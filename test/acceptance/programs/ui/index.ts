import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Acceptance program: partner tags made usable in the web client with Records of its own models:
// a list and a form view, a window action that opens them, and a menu under Settings › Technical
// whose action is a reference field. `test:listFields` changes the list in place; `test:badArch`
// declares an arch that is not XML, which check must refuse at preview.
const cfg = new pulumi.Config("test");
const listFields = (cfg.get("listFields") ?? "name").split(",");
const model = "res.partner.category";

const list = new odoo.Record("list", {
  model: "ir.ui.view",
  values: {
    name: "acc.tags.list",
    model,
    arch: cfg.getBoolean("badArch")
      ? "<list><field name='name'></list>"
      : `<list string='Tags'>${listFields.map((f) => `\n  <field name='${f}' />`).join("")}\n</list>`,
  },
});
const form = new odoo.Record("form", {
  model: "ir.ui.view",
  values: {
    name: "acc.tags.form",
    model,
    arch: "<form string='Tag'>\n  <sheet>\n    <group>\n      <field name='name'/>\n      <field name='color'/>\n    </group>\n  </sheet>\n</form>",
  },
});
const action = new odoo.Record(
  "action",
  {
    model: "ir.actions.act_window",
    values: { name: "Acceptance tags", res_model: model, view_mode: "list,form", view_id: list.recordId },
    xmlId: "pulumi_acc.action_tags",
  },
  { dependsOn: [form] },
);
const menu = new odoo.Record("menu", {
  model: "ir.ui.menu",
  values: {
    name: "Acceptance tags",
    parent_id: odoo.ref("base.menu_custom"),
    action: pulumi.interpolate`ir.actions.act_window,${action.recordId}`,
    sequence: 90,
  },
  xmlId: "pulumi_acc.menu_tags",
});

export const menuId = menu.recordId;
export const actionId = action.recordId;
export const listId = list.recordId;
