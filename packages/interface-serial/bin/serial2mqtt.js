#!/usr/bin/env node
// A committed entry point: it exists before the build, so that linking the bin at install
// time succeeds (pnpm warned "Failed to create bin" for dist/ files not built yet).
require('../dist/launcher.js');
