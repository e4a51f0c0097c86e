#!/usr/bin/env node
import cluster from 'node:cluster';
import { processIo } from './cli/cli-io.js';
import { run } from './cli/run-cli.js';

// A `workers: N` worker hands a failed start to its supervisor, which prints it once.
const io = cluster.isWorker ? { ...processIo, err: () => undefined } : processIo;
// The only process.exit: every verb returns, and its outcome maps to an exit code.
process.exit(await run(process.argv.slice(2), io));
