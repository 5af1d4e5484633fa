import { z } from "zod";
import { OdooResponseShapeError } from "./errors";

// Response schemas are built on first use, not at module load: this module is reached from the
// provider host, where start-up time counts (see DESIGN.md, cold start).

let cache: ReturnType<typeof build> | undefined;

function build() {
  const json2ErrorBody = z.looseObject({
    name: z.string(),
    message: z.string(),
    arguments: z.array(z.unknown()).optional().default([]),
    context: z.unknown().optional(),
    debug: z.string().optional(),
  });
  const version = z.looseObject({
    version_info: z.array(z.union([z.number(), z.string()])).min(1),
    version: z.string(),
  });
  /** POST /web/webclient/version_info (14 to 19): a JSON-RPC envelope (odoo17-facts §0). */
  const versionInfo = z.looseObject({
    result: z.looseObject({ server_version_info: z.array(z.union([z.number(), z.string()])).min(1), server_serie: z.string() }),
  });
  const jsonRpcResponse = z.looseObject({
    result: z.unknown().optional(),
    error: z
      .looseObject({
        code: z.number(),
        message: z.string(),
        data: z
          .looseObject({
            name: z.string(),
            message: z.string(),
            arguments: z.array(z.unknown()).optional().default([]),
            debug: z.string().optional(),
          })
          .optional(),
      })
      .optional(),
  });
  return { json2ErrorBody, version, versionInfo, jsonRpcResponse };
}

export function schemas() {
  return (cache ??= build());
}

export type Json2ErrorBody = z.infer<ReturnType<typeof build>["json2ErrorBody"]>;

/** Parses with a schema; a mismatch becomes a readable sentence, not a crash later on. */
export function parseShape<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new OdooResponseShapeError(`${what} answered in an unexpected shape: ${z.prettifyError(result.error).replace(/\n/g, "; ")}`);
}
