// odoo.ref("module.name"): a many2one (or a many2many item) given by external id, resolved when the
// resource is applied. It lives in values as a plain object, so that it crosses into the provider.

/** A record named by its external id, resolved when the resource is applied. */
export interface OdooRef {
  __odooRef: string;
}

/**
 * Names a record by its external id, for a many2one or many2many value (or a Setting):
 * `odoo.ref("base.main_company")`. Resolved to the record's id when the resource is applied.
 */
export function ref(xmlId: string): OdooRef {
  return { __odooRef: xmlId };
}

export function isRef(value: unknown): value is OdooRef {
  return !!value && typeof value === "object" && typeof (value as OdooRef).__odooRef === "string";
}
