import * as odoo from "pulumi-odoo";

// Benchmark program: 5 custom models with 100 records each (500 Record resources).
for (const letter of ["a", "b", "c", "d", "e"]) {
  const model = new odoo.CustomModel(`model-${letter}`, { model: `x_bench_${letter}`, name: `Bench ${letter}`, forceDestroy: true });
  for (let i = 0; i < 100; i++) {
    new odoo.Record(`${letter}-${i}`, { model: model.model, values: { x_name: `${letter} ${i}` } });
  }
}
