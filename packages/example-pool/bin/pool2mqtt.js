#!/usr/bin/env node
// A committed entry point: it exists before the build, so that linking the bin at install time succeeds.
require('../dist/launcher.js');
