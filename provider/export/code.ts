// Writing TypeScript: literals laid out as a person would (short ones on a line, long ones a
// property a line), code given as it is, and variable names made from technical names.

/** Code written as it is (another resource's output). */
export class Code {
  constructor(readonly text: string) {}
}

/** An object written one property a line, however short. */
export class Expanded {
  constructor(readonly value: Record<string, unknown>) {}
}

/** A TypeScript literal: on one line when short, else one property a line. */
export function literal(value: unknown, indent: string): string {
  if (value instanceof Code) return value.text;
  if (value instanceof Expanded) {
    const inner = `${indent}  `;
    const parts = Object.entries(value.value).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : str(k)}: ${literal(v, inner)}`);
    return `{\n${parts.map((part) => `${inner}${part},`).join("\n")}\n${indent}}`;
  }
  if (value === null || typeof value !== "object") return typeof value === "string" ? str(value) : String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((item) => literal(item, inner));
    const flat = `[${items.join(", ")}]`;
    return flat.length + indent.length <= 110 && !flat.includes("\n") ? flat : `[\n${items.map((item) => `${inner}${item},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const parts = entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : str(k)}: ${literal(v, inner)}`);
  const flat = `{ ${parts.join(", ")} }`;
  return flat.length + indent.length <= 110 && !flat.includes("\n") ? flat : `{\n${parts.map((part) => `${inner}${part},`).join("\n")}\n${indent}}`;
}

export function str(value: string): string {
  return JSON.stringify(value);
}

/** Variable names from technical names (x_library_book → xLibraryBook), each once. */
export class Names {
  private readonly taken = new Set<string>();

  take(technical: string): string {
    const base = technical.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : "")).replace(/^[0-9]/, "_$&") || "resource";
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}${i}`;
    this.taken.add(name);
    return name;
  }
}

/** Where `key` comes in a fixed order of keys (those it does not list last): properties as a person writes them. */
export function rank(order: string[], key: string): number {
  const index = order.indexOf(key);
  return index === -1 ? order.length : index;
}
