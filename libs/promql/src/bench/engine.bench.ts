// Times range queries over in-memory data: 1000 series × 24h at 15s (5.76M samples), 1374
// steps of 60s. Run: node scripts/build.mjs && node dist/libs/promql/src/bench/engine.bench.js
import { createEngine } from '../engine/engine';
import { MemorySeriesReader } from '../testing/memory-series-reader';

const SERIES = 1000;
const SAMPLES = 5760;
const QUERIES = [
  'x',
  'sum by (job) (rate(x[5m]))',
  'max_over_time(x[1h])',
  'x / on(instance) x',
  'topk(5, x)',
  'histogram_quantile(0.9, sum by (le) (rate(x[5m])))',
];

async function main(): Promise<void> {
  const reader = new MemorySeriesReader();
  for (let k = 0; k < SERIES; k++) {
    let v = 0;
    const samples = Array.from({ length: SAMPLES }, (_, i) => {
      v += (i * 7 + k) % 13;
      return { t: i * 15_000, v };
    });
    reader.add(
      'bench',
      { __name__: 'x', job: `j${k % 10}`, instance: `i${k}`, le: String(k % 8) },
      samples,
    );
  }
  const engine = createEngine({ reader });
  for (const q of process.argv.length > 2 ? process.argv.slice(2) : QUERIES) {
    const started = performance.now();
    const res = await engine.rangeQueryRaw('bench', q, 3_600_000, 86_000_000, 60_000);
    const ms = performance.now() - started;
    const series = res.resultType === 'matrix' ? res.series.length : 0;
    console.log(`${q.padEnd(52)} ${ms.toFixed(0).padStart(6)} ms  ${series} series`);
  }
}

void main();
