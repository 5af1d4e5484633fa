// Selection options travel to Odoo as a Python-literal list ("[('a', 'Alpha')]") and come back the
// same way from ir.model.fields (odoo19-facts §5).

/** One option of a selection field. */
export interface SelectionOption {
  /** The value stored in the database, e.g. "good". */
  value: string;
  /** The label users see, e.g. "Good". */
  label: string;
}

export function toPythonLiteral(options: SelectionOption[]): string {
  const quote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  return `[${options.map((o) => `(${quote(o.value)}, ${quote(o.label)})`).join(", ")}]`;
}

export function fromPythonLiteral(text: string | false | undefined): SelectionOption[] {
  if (!text) return [];
  const options: SelectionOption[] = [];
  const item = /\(\s*(['"])((?:\\.|(?!\1).)*)\1\s*,\s*(['"])((?:\\.|(?!\3).)*)\3\s*\)/g;
  const unescape = (s: string) => s.replace(/\\(.)/g, "$1");
  for (const match of text.matchAll(item)) options.push({ value: unescape(match[2]), label: unescape(match[4]) });
  return options;
}
