import { z } from "zod";
import { connectionSchema } from "../../internal/connection-schema";
import { XMLID_PATTERN } from "../../internal/xmlid";

// What a CustomModel accepts (checked at preview) and holds.

export function inputsSchema() {
  const access = z.strictObject({
    group: z.string().regex(XMLID_PATTERN, "must be a group's external id such as 'base.group_user'"),
    read: z.boolean().default(true),
    write: z.boolean().default(false),
    create: z.boolean().default(false),
    unlink: z.boolean().default(false),
  });
  return z.strictObject({
    model: z
      .string()
      .startsWith("x_", "must start with 'x_' (Odoo's rule for custom models), e.g. 'x_library_book'")
      .regex(/^[a-z0-9_.]+$/, "may only hold lowercase letters, digits, underscores and dots (Odoo's rule)")
      .min(3, "needs a name after 'x_'"),
    name: z.string().trim().min(1, "must not be empty"),
    description: z.string().optional(),
    order: z
      .string()
      .regex(
        /^\s*[a-z_][a-z0-9_]*(\s+(asc|desc))?(\s*,\s*[a-z_][a-z0-9_]*(\s+(asc|desc))?)*\s*$/i,
        "must be field names with optional asc/desc, comma-separated, e.g. 'x_name asc, id desc'",
      )
      .default("id"),
    transient: z.boolean().default(false),
    access: z
      .array(access)
      .default([{ group: "base.group_user", read: true, write: true, create: true, unlink: true }])
      .refine((rules) => new Set(rules.map((r) => r.group)).size === rules.length, "lists a group more than once"),
    forceDestroy: z.boolean().default(false),
    adopt: z.boolean().default(false),
    connection: connectionSchema(),
  });
}

export type CustomModelInputs = z.infer<ReturnType<typeof inputsSchema>>;

export interface CustomModelOutputs extends CustomModelInputs {
  modelId: number;
  state: string;
}

/** Properties whose change needs a new model: Odoo refuses to change them (facts §3). */
export const replaceOn = ["model", "transient"] as const;

/** One access rule as declared. */
export type Access = CustomModelInputs["access"][number];
