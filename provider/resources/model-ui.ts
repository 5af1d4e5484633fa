import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "../config";
import { OdooRecord } from "./record";
import { formArch, listArch } from "./record/ui";
import type { OdooRef } from "../values";

// A model made usable in the web client, as Odoo Studio does when it makes a model: a list view,
// a form view, the window action that opens them and a menu entry. A component of four Records of
// Odoo's own models (ir.ui.view, ir.actions.act_window, ir.ui.menu), so each is checked, batched,
// adopted by external id and refreshed as any Record (DESIGN.md, "A model in the web client").

/** The properties of a ModelUi. */
export interface ModelUiArgs {
  /** The model the views show: a CustomModel's `model` output, or any model such as "res.partner.category". */
  model: pulumi.Input<string>;
  /** The menu entry's label, and the window action's name (the title of the list). */
  name: pulumi.Input<string>;
  /** The fields the list shows, in order (technical names, e.g. ["x_name", "x_isbn"]). */
  listFields: string[];
  /** The fields the form shows, in order; default: the list's. */
  formFields?: string[];
  /**
   * The menu to put the entry under: an id, odoo.ref("base.menu_custom") or another Record's
   * recordId. Without one the entry is an app of its own, in the home menu.
   */
  parentMenu?: pulumi.Input<number | OdooRef>;
  /** Where the entry sits among its siblings, lower first (default 10). */
  sequence?: pulumi.Input<number>;
  /**
   * External ids for the four records, as "module.prefix": the views become module.prefix_list and
   * module.prefix_form, the action module.prefix_action, the menu module.prefix_menu. Makes them
   * adoptable (a lost state finds them again).
   */
  xmlIdPrefix?: string;
  /** The server, database and key, above the stack's odoo:* configuration (its key stored as a secret: the state and a diff show the server and database). */
  connection?: pulumi.Input<ConnectionArgs>;
}

const FIELD_NAME = /^[a-z_][a-z0-9_]*$/;

/** A list view, a form view, a window action and a menu entry for a model. */
export class ModelUi extends pulumi.ComponentResource {
  /** The list view (ir.ui.view). */
  readonly listView: OdooRecord;
  /** The form view (ir.ui.view). */
  readonly formView: OdooRecord;
  /** The window action (ir.actions.act_window) that opens the list, then the form. */
  readonly action: OdooRecord;
  /** The menu entry (ir.ui.menu). */
  readonly menu: OdooRecord;
  /** The menu entry's id: the web client opens it at /odoo/action-<actionId>. */
  readonly menuId: pulumi.Output<number>;
  /** The window action's id. */
  readonly actionId: pulumi.Output<number>;

  /**
   * @param name The Pulumi name of the component; its records are named name-list, name-form,
   *   name-action and name-menu.
   * @param args Its properties.
   * @param opts Pulumi's options; `dependsOn` (the model's fields, say) applies to each record.
   */
  constructor(name: string, args: ModelUiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("odoo:index:ModelUi", name, {}, opts);
    const formFields = args.formFields ?? args.listFields;
    for (const [property, fields] of [
      ["listFields", args.listFields],
      ["formFields", formFields],
    ] as const) {
      if (!fields.length) throw new Error(`ModelUi ${name}: ${property} must name at least one field`);
      const bad = fields.find((field) => !FIELD_NAME.test(field));
      if (bad !== undefined)
        throw new Error(`ModelUi ${name}: ${property}: '${bad}' is not a field's technical name (lowercase letters, digits and underscores)`);
    }
    const child: pulumi.CustomResourceOptions = { parent: this, dependsOn: opts?.dependsOn };
    const common = { connection: args.connection };
    const xmlId = (suffix: string) => (args.xmlIdPrefix ? `${args.xmlIdPrefix}_${suffix}` : undefined);
    this.listView = new OdooRecord(
      `${name}-list`,
      {
        ...common,
        model: "ir.ui.view",
        values: { name: pulumi.interpolate`${args.model}.list`, model: args.model, arch: listArch(args.listFields) },
        xmlId: xmlId("list"),
      },
      child,
    );
    this.formView = new OdooRecord(
      `${name}-form`,
      {
        ...common,
        model: "ir.ui.view",
        values: {
          name: pulumi.interpolate`${args.model}.form`,
          model: args.model,
          arch: formArch(formFields),
        },
        xmlId: xmlId("form"),
      },
      child,
    );
    this.action = new OdooRecord(
      `${name}-action`,
      {
        ...common,
        model: "ir.actions.act_window",
        values: { name: args.name, res_model: args.model, view_mode: "list,form", view_id: this.listView.recordId },
        xmlId: xmlId("action"),
      },
      child,
    );
    this.menu = new OdooRecord(
      `${name}-menu`,
      {
        ...common,
        model: "ir.ui.menu",
        values: {
          name: args.name,
          parent_id: args.parentMenu ?? false,
          action: pulumi.interpolate`ir.actions.act_window,${this.action.recordId}`,
          sequence: args.sequence ?? 10,
        },
        xmlId: xmlId("menu"),
      },
      child,
    );
    this.menuId = this.menu.recordId;
    this.actionId = this.action.recordId;
    this.registerOutputs({ menuId: this.menuId, actionId: this.actionId });
  }
}
