import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { tempDir } from "../temp";

// What the export scenarios do with a program `pulumi-odoo export` wrote: type-check it against this
// package, and run it (as JavaScript, where `pulumi-odoo` resolves to this package).

/** The exported program type-checked against this package's declarations: the compiler's messages. */
export function compiled(dir: string): string[] {
  const root = path.resolve(__dirname, "../../..");
  const program = ts.createProgram([path.join(dir, "index.ts")], {
    strict: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    baseUrl: root,
    paths: { "pulumi-odoo": ["bin/provider/index"] },
    typeRoots: [path.join(root, "node_modules/@types")],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/** The program as JavaScript, in a folder inside this package (where `pulumi-odoo` resolves to it). */
export function transpiled(dir: string): string {
  const target = tempDir("export-program-", path.join(__dirname, "../engine/programs"));
  mkdirSync(target, { recursive: true });
  const source = readFileSync(path.join(dir, "index.ts"), "utf8");
  writeFileSync(
    path.join(target, "index.js"),
    ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText,
  );
  return target;
}

/** Whether each resource of a checkpoint (`pulumi stack export`) is protected, providers left out. */
export function protectFlags(checkpoint: string): (boolean | undefined)[] {
  const resources = JSON.parse(checkpoint).deployment.resources as { custom?: boolean; type: string; protect?: boolean }[];
  return resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.protect);
}
