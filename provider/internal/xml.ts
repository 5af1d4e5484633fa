// Just enough XML to judge a view's `arch` at preview: is it well-formed, and which fields does it
// name. Odoo parses it with lxml; a view it refuses should fail at preview with a sentence, not
// half-way through an up.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const ENTITY = /&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);/y;

/** The root element of `text`, or the first reason it is not well-formed XML (with its line). */
export function parseXml(text: string): { root: XmlElement } | { error: string } {
  let at = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const line = () => text.slice(0, at).split("\n").length;
  const fail = (reason: string) => ({ error: `${reason} (line ${line()})` });
  const name = (): string | undefined => {
    NAME.lastIndex = at;
    const match = NAME.exec(text);
    if (match) at += match[0].length;
    return match?.[0];
  };
  const space = () => {
    while (/\s/.test(text[at] ?? "")) at++;
  };
  while (at < text.length) {
    if (text.startsWith("<!--", at)) {
      const end = text.indexOf("-->", at + 4);
      if (end < 0) return fail("a comment is not closed");
      at = end + 3;
    } else if (text.startsWith("<![CDATA[", at)) {
      if (!stack.length) return fail("text outside the root element");
      const end = text.indexOf("]]>", at);
      if (end < 0) return fail("a CDATA section is not closed");
      at = end + 3;
    } else if (text.startsWith("<?", at)) {
      const end = text.indexOf("?>", at);
      if (end < 0) return fail("a processing instruction is not closed");
      at = end + 2;
    } else if (text.startsWith("</", at)) {
      at += 2;
      const closing = name();
      space();
      if (text[at] !== ">") return fail(`the closing tag </${closing ?? ""}> is malformed`);
      at++;
      const open = stack.pop();
      if (!open) return fail(`</${closing}> closes nothing`);
      if (open.name !== closing) return fail(`<${open.name}> is closed by </${closing}>`);
    } else if (text[at] === "<") {
      at++;
      const tag = name();
      if (!tag) return fail("'<' does not start a tag (write &lt; in text)");
      if (!stack.length && root) return fail(`a second root element <${tag}> (a view has one)`);
      const element: XmlElement = { name: tag, attributes: {}, children: [] };
      for (;;) {
        const before = at;
        space();
        if (text.startsWith("/>", at) || text[at] === ">") break;
        if (at === before) return fail(`<${tag}>: attributes must be separated by spaces`);
        const attribute = name();
        if (!attribute) return fail(`<${tag}> has a malformed attribute`);
        space();
        if (text[at] !== "=") return fail(`<${tag}>: attribute ${attribute} has no value (${attribute}="...")`);
        at++;
        space();
        const quote = text[at];
        if (quote !== '"' && quote !== "'") return fail(`<${tag}>: the value of ${attribute} must be quoted`);
        const end = text.indexOf(quote, at + 1);
        if (end < 0) return fail(`<${tag}>: the value of ${attribute} is not closed`);
        const value = text.slice(at + 1, end);
        if (value.includes("<")) return fail(`<${tag}>: the value of ${attribute} holds '<' (write &lt;)`);
        if (attribute in element.attributes) return fail(`<${tag}> has attribute ${attribute} twice`);
        element.attributes[attribute] = value;
        at = end + 1;
      }
      if (stack.length) stack[stack.length - 1].children.push(element);
      else root = element;
      if (text[at] === ">") stack.push(element);
      at += text[at] === ">" ? 1 : 2;
    } else {
      const next = text.indexOf("<", at);
      const chunk = text.slice(at, next < 0 ? text.length : next);
      if (!stack.length && chunk.trim()) return fail("text outside the root element");
      for (let amp = chunk.indexOf("&"); amp >= 0; amp = chunk.indexOf("&", amp + 1)) {
        ENTITY.lastIndex = amp;
        if (!ENTITY.test(chunk)) {
          at += amp;
          return fail("'&' must start an entity such as &amp;");
        }
      }
      at += chunk.length;
    }
  }
  if (stack.length) return fail(`<${stack[stack.length - 1].name}> is not closed`);
  if (!root) return { error: "there is no element" };
  return { root };
}

/**
 * The names of the fields a view shows of its own model: `<field name>` elements, not those of a
 * sub-view (a list or form inside a field, which shows the related model's fields).
 */
export function viewFieldNames(root: XmlElement): string[] {
  const names: string[] = [];
  const visit = (element: XmlElement, insideField: boolean) => {
    if (element.name === "field" && !insideField && element.attributes.name) names.push(element.attributes.name);
    for (const child of element.children) visit(child, insideField || element.name === "field");
  };
  visit(root, false);
  return [...new Set(names)];
}
