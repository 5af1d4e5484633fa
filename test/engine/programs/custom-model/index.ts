import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: every property of the CustomModel comes from `test:*` config, so that one
// program serves the preview, update, replace, adopt and destroy steps of the engine tests.
const cfg = new pulumi.Config("test");
const book = new odoo.CustomModel("book", {
  model: cfg.get("model") ?? "x_engine_book",
  name: cfg.get("label") ?? "Engine Book",
  description: cfg.get("description"),
  order: cfg.get("order"),
  transient: cfg.getBoolean("transient"),
  access: cfg.getObject("access"),
  forceDestroy: cfg.getBoolean("forceDestroy"),
  adopt: cfg.getBoolean("adopt"),
  ...(cfg.getObject<Record<string, unknown>>("extra") ?? {}),
});
export const modelId = book.modelId;
export const model = book.model;
