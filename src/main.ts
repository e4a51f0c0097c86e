#!/usr/bin/env node
import { processIo } from './cli/cli-io.js';
import { run } from './cli/run-cli.js';

// The only process.exit: every verb returns, and its outcome maps to an exit code.
process.exit(await run(process.argv.slice(2), processIo));
