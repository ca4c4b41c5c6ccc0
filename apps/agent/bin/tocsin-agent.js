#!/usr/bin/env -S node --jitless --no-expose-wasm --max-semi-space-size=1
// Launcher for the npm bin: runs the compiled agent (`npm run build` writes dist/).
// The flags (measured in docs/benchmarks.md, bench/agent.ts runs the agent with exactly these):
// --jitless keeps V8's optimizing compilers and their code out of memory (−6 to −8 MB RSS; the
// agent works a few ms per interval, so interpreted code costs no measurable CPU);
// --no-expose-wasm only silences the warning --jitless prints (it disables wasm anyway);
// --max-semi-space-size=1 caps the young generation at 1 MB (the agent's garbage per interval
// is far smaller), about −0.5 MB. `env -S` needs coreutils ≥ 8.30 (Debian 10, Ubuntu 20.04).
const { join } = require('node:path'); // eslint-disable-line @typescript-eslint/no-require-imports
require(join(__dirname, '..', '..', '..', 'dist', 'apps', 'agent', 'src', 'main.js')); // eslint-disable-line @typescript-eslint/no-require-imports
