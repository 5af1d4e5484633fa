// `node tools/say.js compiling`: one line on stderr before an npm script compiles the project (10–20 s
// of silence otherwise); stderr, so that a script whose stdout is read (npm run -s emulator) is not disturbed.
const what = process.argv[2] ?? "working";
process.stderr.write(`pulumi-odoo: ${what === "compiling" ? "compiling the TypeScript sources (10–20 s)…" : what}\n`);
