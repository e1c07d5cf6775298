#!/usr/bin/env node
// The `tessera` command. The engine is TypeScript; tsx compiles it on load (and caches the
// result), so the CLI works straight after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../engine/cli/main.ts');
