#!/usr/bin/env node
// The referloop command: runs the TypeScript sources through tsx (no separate compile step to forget).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
