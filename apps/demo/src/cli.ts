#!/usr/bin/env node
/**
 * The `cs-aws` command: runs {@link main} with the process's streams; the first Ctrl-C aborts the
 * running calls (the results so far are printed, status 130), a second one exits at once.
 */

import { EXIT } from './CliContext';
import { main } from './main';

// The SDK's notice that its releases of 2027 will need Node 22 says nothing about this run; a user
// who wants it sets the variable to something else.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that stops early (`cs-aws whoami | head`) closes the pipe: stop quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(EXIT.interrupted);
  controller.abort(new Error('interrupted (SIGINT)'));
});

void main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
});
