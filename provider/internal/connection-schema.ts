import { z } from "zod";

/** An Odoo server's URL: a connection's, and the provider plugin's `url` setting. */
export function urlSchema() {
  return z.string().regex(/^https?:\/\/[^\s/]+/, "must be an http(s) URL such as https://odoo.example.com");
}

/** The optional per-resource `connection` input, which overrides the stack configuration. */
export function connectionSchema() {
  return z
    .strictObject({
      url: urlSchema().optional(),
      database: z.string().min(1, "must not be empty").optional(),
      apiKey: z.string().min(1, "must not be empty: pass the API key as a secret").optional(),
      login: z.string().min(1).optional(),
    })
    .optional();
}
