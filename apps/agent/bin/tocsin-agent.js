#!/usr/bin/env node
// Launcher for the npm bin: runs the compiled agent (`npm run build` writes dist/).
const { join } = require('node:path'); // eslint-disable-line @typescript-eslint/no-require-imports
require(join(__dirname, '..', '..', '..', 'dist', 'apps', 'agent', 'src', 'main.js')); // eslint-disable-line @typescript-eslint/no-require-imports
