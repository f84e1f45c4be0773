#!/usr/bin/env node
// tsx lets `--functions` and `turtle schema` take a TypeScript module with no separate compile step.
import { register } from 'tsx/esm/api';

register();
await import('../dist/cli/turtle.js');
