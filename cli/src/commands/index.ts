import type { Command } from 'commander';
import type { Io } from '../lib/context.ts';
import * as audit from './audit.ts';
import * as completion from './completion.ts';
import * as dashboard from './dashboard.ts';
import * as doctor from './doctor.ts';
import * as events from './events.ts';
import * as importKeys from './import/index.ts';
import * as keys from './keys/index.ts';
import * as leak from './leak.ts';
import * as pepper from './pepper.ts';
import * as portal from './portal/index.ts';
import * as report from './report.ts';
import * as roles from './roles/index.ts';
import * as sweep from './sweep.ts';
import * as usage from './usage.ts';
import * as verify from './verify.ts';
import * as whoami from './whoami.ts';

/**
 * Every top-level command, in the order help lists them. A command for a new endpoint (report,
 * import, leak, pepper) is one file exporting `register`, added here.
 */
export const COMMANDS: readonly { register(program: Command, io: Io): void }[] = [
  keys,
  roles,
  usage,
  audit,
  events,
  sweep,
  report,
  verify,
  leak,
  importKeys,
  pepper,
  portal,
  whoami,
  doctor,
  dashboard,
  completion,
];
