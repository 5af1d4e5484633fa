import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { z } from "zod";
import { PROVIDER_SECRETS, PROVIDER_SETTINGS } from "../provider/plugin/provider-config";
import { kinds, registry } from "../provider/registry";
import { RESOURCE_NAMES, type ResourceKind, SECRETS } from "../provider/stub";

// Writes provider/plugin/schema.json, the provider plugin's Pulumi package schema, from the code:
// each resource's input types and required properties from its zod schema (the registry's), its
// outputs from its class's declared properties, and every description from the doc comments a
// TypeScript user reads in the editor (the class, its Args interface, the types inside). Nothing of
// it is written twice. `npm run schema` runs it; a unit test fails when the checked-in file is not
// what it makes. Build-time only: it needs the typescript devDependency.

type Spec = Record<string, unknown>;
type JsonSchema = Record<string, any>;

const ROOT = path.resolve(__dirname, "..", "..");
const OUT = path.join(ROOT, "provider", "plugin", "schema.json");
const ANY = { $ref: "pulumi.json#/Any" };

export function generateSchema(): Spec {
  const program = ts.createProgram([path.join(ROOT, "provider", "index.ts")], {
    strict: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(path.join(ROOT, "provider", "index.ts"))!;
  const exported = new Map(checker.getExportsOfModule(checker.getSymbolAtLocation(index)!).map((s) => [s.name, s]));
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const types: Record<string, Spec> = {};
  const resources: Record<string, Spec> = {};
  for (const kind of kinds) {
    const name = RESOURCE_NAMES[kind];
    const symbol = exported.get(name);
    if (!symbol) throw new Error(`provider/index.ts exports no ${name}`);
    const cls = checker.getAliasedSymbol(symbol);
    resources[`odoo:index:${name}`] = resourceSpec(kind, cls, checker, types);
  }
  const settings = Object.fromEntries(
    Object.entries(PROVIDER_SETTINGS).map(([key, description]) => [
      key,
      {
        type: key === "timeoutSeconds" ? "number" : "string",
        description,
        ...(PROVIDER_SECRETS.includes(key) ? { secret: true } : {}),
      },
    ]),
  );
  return {
    name: "odoo",
    displayName: "Odoo",
    version: pkg.version,
    description: pkg.description,
    keywords: ["pulumi", "odoo", "category/cloud", "kind/native"],
    homepage: "https://github.com/pulumi-odoo/pulumi-odoo",
    license: pkg.license,
    repository: "https://github.com/pulumi-odoo/pulumi-odoo",
    publisher: "pulumi-odoo",
    config: { variables: settings },
    provider: {
      description:
        "Where pulumi-odoo's resources find Odoo: the stack's odoo:* configuration for the default provider, or these arguments for one made in the program.",
      properties: settings,
      inputProperties: settings,
    },
    types,
    resources,
    language: {
      python: { packageName: "pulumi_odoo", requires: { pulumi: ">=3.0.0,<4.0.0" }, pyproject: { enabled: true }, respectSchemaVersion: true },
      nodejs: { packageName: "@pulumi-odoo/odoo", respectSchemaVersion: true },
      go: { importBasePath: "github.com/pulumi-odoo/pulumi-odoo/sdk/go/odoo" },
      csharp: { rootNamespace: "PulumiOdoo" },
    },
  };
}

function resourceSpec(kind: ResourceKind, cls: ts.Symbol, checker: ts.TypeChecker, types: Record<string, Spec>): Spec {
  const name = RESOURCE_NAMES[kind];
  const declaration = cls.valueDeclaration as ts.ClassDeclaration;
  const ctor = declaration.members.find(ts.isConstructorDeclaration);
  const argsType = ctor ? checker.getTypeAtLocation(ctor.parameters[1]) : undefined;
  const argDocs = docsOf(argsType, checker);
  const json = z.toJSONSchema(registry[kind].inputs(), { io: "input", unrepresentable: "any" }) as JsonSchema;
  const secret = new Set([...(SECRETS[kind].inputs ?? []), ...(SECRETS[kind].outputs ?? [])]);
  const raw: Record<string, Spec> = {};
  for (const [key, schema] of Object.entries(json.properties as Record<string, JsonSchema>)) {
    raw[key] = propertySpec(schema, key === "connection" ? "Connection" : `${name}${pascal(key)}`, nestedDocs(argsType, key, checker), types);
  }
  const inputProperties = Object.fromEntries(Object.entries(raw).map(([key, spec]) => [key, withDoc(spec, argDocs.get(key), secret.has(key))]));
  // Outputs: the inputs as the state holds them, then what the provider computes; each described
  // as the class describes its output, else as its argument.
  const properties: Record<string, Spec> = {};
  const instance = checker.getDeclaredTypeOfSymbol(cls);
  const declared = new Map(
    instance
      .getProperties()
      .filter((member) => member.valueDeclaration && ts.isPropertyDeclaration(member.valueDeclaration) && member.valueDeclaration.parent === declaration)
      .map((member) => [member.name, member]),
  );
  for (const [key, spec] of Object.entries(raw))
    properties[key] = withDoc(spec, (declared.has(key) && doc(declared.get(key)!, checker)) || argDocs.get(key), secret.has(key));
  for (const [key, member] of declared) {
    if (key in properties) continue;
    properties[key] = withDoc(outputType(checker.getTypeOfSymbolAtLocation(member, member.valueDeclaration!), checker), doc(member, checker), secret.has(key));
  }
  return {
    description: doc(cls, checker),
    properties,
    required: json.required ?? [],
    inputProperties,
    requiredInputs: json.required ?? [],
  };
}

/** A zod-made JSON schema as a Pulumi property: objects with properties become named types. */
function propertySpec(schema: JsonSchema, typeName: string, docs: Map<string, string>, types: Record<string, Spec>): Spec {
  if (schema.anyOf || schema.oneOf) return ANY;
  if (schema.enum) return { type: "string", note: `One of: ${schema.enum.join(", ")}.` };
  switch (schema.type) {
    case "string":
    case "boolean":
    case "number":
    case "integer":
      return { type: schema.type };
    case "array":
      return { type: "array", items: propertySpec(schema.items ?? {}, typeName, docs, types) };
    case "object": {
      if (schema.properties) {
        const properties: Record<string, Spec> = {};
        for (const [key, inner] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
          properties[key] = withDoc(
            propertySpec(inner, `${typeName}${pascal(key)}`, docs, types),
            docs.get(key),
            typeName === "Connection" && key === "apiKey",
          );
        }
        types[`odoo:index:${typeName}`] = { type: "object", properties, required: schema.required ?? [] };
        return { $ref: `#/types/odoo:index:${typeName}` };
      }
      const values = schema.additionalProperties;
      return { type: "object", additionalProperties: values && Object.keys(values).length ? propertySpec(values, typeName, docs, types) : ANY };
    }
    default:
      return ANY;
  }
}

/** An output's TypeScript type (pulumi.Output<T>) as a Pulumi property. */
function outputType(type: ts.Type, checker: ts.TypeChecker): Spec {
  const inner = (type as ts.TypeReference).aliasTypeArguments?.[0] ?? checker.getTypeArguments(type as ts.TypeReference)[0] ?? unwrapOutput(type, checker);
  return plainType(inner, checker);
}

function unwrapOutput(type: ts.Type, checker: ts.TypeChecker): ts.Type {
  const get = type.getProperty("get");
  if (get?.valueDeclaration)
    return checker.getReturnTypeOfSignature(
      checker.getSignaturesOfType(checker.getTypeOfSymbolAtLocation(get, get.valueDeclaration), ts.SignatureKind.Call)[0],
    );
  return type;
}

function plainType(type: ts.Type, checker: ts.TypeChecker): Spec {
  const members = type.isUnion() ? type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null))) : [type];
  if (members.every((t) => t.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral))) return { type: "string" };
  if (members.every((t) => t.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral))) return { type: "number" };
  if (members.every((t) => t.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral))) return { type: "boolean" };
  if (members.length === 1 && checker.isArrayType(members[0]))
    return { type: "array", items: plainType(checker.getTypeArguments(members[0] as ts.TypeReference)[0], checker) };
  if (members.length === 1 && members[0].flags & ts.TypeFlags.Object) return { type: "object", additionalProperties: ANY };
  return ANY;
}

/** The doc comments of a type's properties, through Input<…> wrappers, unions and arrays. */
function docsOf(type: ts.Type | undefined, checker: ts.TypeChecker, depth = 0, into = new Map<string, string>()): Map<string, string> {
  if (!type || depth > 4) return into;
  if (type.isUnion() || type.isIntersection()) {
    for (const member of type.types) docsOf(member, checker, depth + 1, into);
    return into;
  }
  if (checker.isArrayType(type)) return docsOf(checker.getTypeArguments(type as ts.TypeReference)[0], checker, depth + 1, into);
  if (!(type.flags & ts.TypeFlags.Object) || type.getProperty("apply") || type.getProperty("then")) return into;
  for (const property of type.getProperties()) {
    const text = doc(property, checker);
    if (text && !into.has(property.name)) into.set(property.name, text);
  }
  return into;
}

/** The docs of the types inside one argument (an AccessRule's group, read, …). */
function nestedDocs(argsType: ts.Type | undefined, key: string, checker: ts.TypeChecker): Map<string, string> {
  const property = argsType?.getProperty(key);
  if (!property?.valueDeclaration) return new Map();
  return docsOf(checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, property.valueDeclaration)), checker);
}

function doc(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
}

/** A property with its description (the doc comment, then what propertySpec noted: an enum's values). */
function withDoc(spec: Spec, description: string | undefined, secret: boolean): Spec {
  const { note, ...rest } = spec;
  const said = [description, note].filter(Boolean).join(" ");
  return { ...rest, ...(said ? { description: said } : {}), ...(secret ? { secret: true } : {}) };
}

function pascal(key: string): string {
  return key[0].toUpperCase() + key.slice(1);
}

export function schemaFile(): string {
  return OUT;
}

if (require.main === module) {
  writeFileSync(OUT, JSON.stringify(generateSchema(), null, 2) + "\n");
  console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
}
