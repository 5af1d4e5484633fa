import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import ts from "typescript";

// Every public class, argument and output has a doc comment a user reads in the editor: the
// resource classes, their *Args interfaces (and the types they use), and their declared outputs.

const root = path.resolve(__dirname, "../../..");
const files = [
  ...readdirSync(path.join(root, "provider/resources"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => `provider/resources/${f}`),
  "provider/resources/record/index.ts",
  "provider/internal/selection.ts",
  "provider/config.ts",
  "provider/data-sources.ts",
  "provider/backup.ts",
];
const PUBLIC_TYPES = /Args$|^AccessRule$|^SelectionOption$|^ConnectionInput$/;

test("every public resource class, argument and output has a doc comment", () => {
  const missing: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.ES2022, true);
    const documented = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).length > 0;
    source.forEachChild((node) => {
      const exported = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported) return;
      if (ts.isInterfaceDeclaration(node) && PUBLIC_TYPES.test(node.name.text)) {
        if (!documented(node)) missing.push(`${file}: interface ${node.name.text}`);
        for (const member of node.members) if (!documented(member)) missing.push(`${file}: ${node.name.text}.${member.name?.getText(source)}`);
      }
      if (ts.isClassDeclaration(node) && node.heritageClauses?.some((h) => h.getText(source).includes("dynamic.Resource"))) {
        if (!documented(node)) missing.push(`${file}: class ${node.name?.text}`);
        for (const member of node.members) {
          if ((ts.isPropertyDeclaration(member) || ts.isConstructorDeclaration(member)) && !documented(member)) {
            missing.push(`${file}: ${node.name?.text}.${ts.isConstructorDeclaration(member) ? "constructor" : member.name.getText(source)}`);
          }
        }
      }
    });
  }
  assert.deepEqual(missing, []);
});
