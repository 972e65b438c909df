import { createRequire } from 'node:module';

/** Whether @tensorflow/tfjs-node resolves here (it cannot install on machines without its download). */
export const tfjsNodeInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();
