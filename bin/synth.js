#!/usr/bin/env node
// Training sets a V8 flag that works only before the other modules run (youngGeneration.ts).
if (process.argv[2] === 'train') await import('../dist/src/cli/youngGeneration.js');
await import('../dist/src/cli/main.js');
