import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import type { CliIo } from './cli-io.js';

export interface LoadedConfig {
  readonly config: Config;
  readonly file: string;
  readonly dir: string;
}

/** The config named by the global `-c/--config` (default ./forgetpw.yml). */
export function configFile(command: Command, io: CliIo): string {
  const { config } = command.optsWithGlobals<{ config: string }>();
  return path.resolve(io.cwd, config);
}

export function readConfig(
  command: Command,
  io: CliIo,
  options: {
    overrides?: Record<string, unknown>;
    base?: Record<string, unknown>;
    allowMissing?: boolean;
  } = {},
): LoadedConfig {
  const file = configFile(command, io);
  const config = loadConfig(file, { env: io.env, ...options });
  return { config, file, dir: path.dirname(file) };
}
