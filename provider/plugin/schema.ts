import SCHEMA from "./schema.json";

// The plugin's Pulumi package schema: generated from the registry's input schemas and the classes'
// doc comments by tools/generate-schema.ts (`npm run schema`), checked in as schema.json beside
// this file, and tested to be what the generator makes of the code as it is.

let text: string | undefined;

/** The schema as GetSchema answers it. */
export function schemaText(): string {
  return (text ??= JSON.stringify(SCHEMA));
}
