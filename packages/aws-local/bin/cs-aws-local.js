#!/usr/bin/env node
// The `cs-aws-local` command. This file is committed so that it exists when a package manager
// links the bin at install time, before dist/ is built (a bin pointing into dist/ made every
// `pnpm install` of the workspace warn "Failed to create bin"); the program is dist/cli.js.
import '../dist/cli.js';
