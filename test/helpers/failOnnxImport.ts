/**
 * Preload for `node --import <this file> bin/synth.js ...`: makes `import('onnxruntime-node')` fail
 * in the main thread and in every worker thread (workers inherit --import), as it would on a
 * machine where the native binary cannot load. Nothing in synth is changed or mocked.
 */
import { register } from 'node:module';

register(new URL('./failOnnxImportHooks.js', import.meta.url));
