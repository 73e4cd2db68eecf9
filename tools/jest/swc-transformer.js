// NestJS 12 ships as ES modules. Jest on Node 20 runs CommonJS and cannot require() them
// (jest supports require(esm) only from Node 24.9), so SWC compiles @nestjs/* and jose to CommonJS
// too. The one ESM-only construct Nest uses, import.meta.url for createRequire, becomes
// the CommonJS equivalent.
const { createTransformer } = require('@swc/jest');

const IMPORT_META_URL = /\bimport\.meta\.url\b/g;
const CJS_URL = "require('node:url').pathToFileURL(__filename).href";

module.exports = {
  createTransformer(swcOptions) {
    const swc = createTransformer(swcOptions);
    const rewrite = (source, filename) =>
      filename.includes('node_modules') ? source.replace(IMPORT_META_URL, CJS_URL) : source;
    return {
      ...swc,
      process(source, filename, options) {
        return swc.process(rewrite(source, filename), filename, options);
      },
      processAsync(source, filename, options) {
        return swc.processAsync(rewrite(source, filename), filename, options);
      },
    };
  },
};
