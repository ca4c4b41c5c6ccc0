#!/usr/bin/env node
// Launcher for the npm bin: runs the compiled agent (node scripts/build.mjs writes dist/).
require('../../../dist/apps/agent/src/main.js');
