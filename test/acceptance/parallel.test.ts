import assert from "node:assert/strict";
import { test } from "node:test";
import type { ProgramEngine } from "../cli/locate";
import { assertClean, assertNoRestart, census, describeReal, programs, useRealEngine } from "./harness";

// The engine's parallelism against a real Odoo (issue: schema changes never race): a model with 20
// fields and 50 records, applied with parallelism 16 from an empty state ten times (ACC_PARALLEL_RUNS),
// with a destroy between. Every run must succeed and the server must never restart. The time of each up is
// printed beside the same program at parallelism 1 (a figure, not an assertion).

const RUNS = Number(process.env.ACC_PARALLEL_RUNS ?? 10);

describeReal(`acceptance: 20 fields and 50 records at parallelism 16, ${RUNS} times`, (target) => {
  const wide = useRealEngine(target, programs("wide-model"), { parallel: 16 });
  const serial = useRealEngine(target, programs("wide-model"), { parallel: 1 });

  async function cycle(engine: ProgramEngine): Promise<number> {
    const started = Date.now();
    const up = await engine.up();
    const elapsed = Date.now() - started;
    assertClean(up);
    assert.equal(up.steps.length, 71);
    assert.equal(
      await wide.client.call("x_acc_wide", "search_count", {
        domain: [
          ["x_f19_date", "=", "2026-11-24"],
          ["x_f0_char", "=", "text"],
        ],
      }),
      50,
    );
    assert.deepEqual((await engine.preview()).changes, []);
    assertClean(await engine.destroy());
    assert.equal(engine.state.size, 0);
    return elapsed;
  }

  test(`${RUNS} runs at parallelism 16 succeed, each leaving nothing behind, and the server never restarts`, async () => {
    const before = await census(wide.client);
    const serialMs = await cycle(serial.engine);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      times.push(await cycle(wide.engine));
      assert.deepEqual(await census(wide.client), before);
    }
    assertNoRestart(target);
    const worst = Math.max(...times);
    console.log(
      `# parallelism 16: up ${times.map((t) => (t / 1000).toFixed(1)).join(", ")} s; parallelism 1: ${(serialMs / 1000).toFixed(1)} s; worst ratio ${(worst / serialMs).toFixed(2)} (goal ≤ 1.5)`,
    );
  });
});
