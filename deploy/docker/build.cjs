#!/usr/bin/env node
/**
 * Compiles one service and the libraries it can import to CommonJS with SWC, for the image's
 * build stage (no `tsc` emit, no `swc` CLI: only @swc/core, which the workspace has).
 *
 *   node deploy/docker/build.cjs <service> [--out dist] [--libs shared-kernel,event-store]
 *
 * - apps/<service>/src and every lib of tsconfig.base.json `paths` -> <out>/apps/..., <out>/libs/...
 *   (the same layout as the sources, so `node <out>/apps/<service>/src/main.js` runs it);
 * - the options are the repository's .swcrc (decorator metadata on), source maps inline;
 * - `@carebridge/<lib>` imports become relative requires of <out>/libs/<lib>/src/index.js;
 * - spec files, test folders and fixtures are left out; .json and .sql files are copied;
 * - <out>/main.js requires <out>/apps/<service>/src/main.js (the image's fixed ENTRYPOINT).
 * Exit code 1 with the file name when a file does not compile or an alias is unknown.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..', '..');

function parseArgs(argv) {
  const args = { service: undefined, out: path.join(root, 'dist'), libs: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') args.out = path.resolve(argv[++i]);
    else if (arg === '--libs') args.libs = argv[++i].split(',').filter(Boolean);
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else args.service = arg;
  }
  return args;
}

/** `@carebridge/<name>` -> repository-relative path of the lib's index.ts, from tsconfig.base.json. */
function aliases() {
  const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
  return Object.fromEntries(Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, target]));
}

const SKIP = /(\.spec\.ts$|\.d\.ts$|(^|\/)test-support\.ts$|(^|\/)(test|fixtures|__fixtures__|testing)\/)/;
const ASSET = /\.(json|sql)$/;

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

/** Replaces `require("@carebridge/x")` with the relative path of the compiled lib. */
function rewriteAliases(code, outFile, out, aliasMap) {
  return code.replace(/require\((["'])(@carebridge\/[^"']+)\1\)/g, (_match, quote, alias) => {
    const target = aliasMap[alias];
    if (!target) throw new Error(`${outFile}: unknown alias ${alias} (not in tsconfig.base.json paths)`);
    let rel = path.relative(path.dirname(outFile), path.join(out, target.replace(/\.ts$/, '.js')));
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `require(${quote}${rel.split(path.sep).join('/')}${quote})`;
  });
}

function compileTree(srcDir, out, aliasMap, swcOptions) {
  let count = 0;
  for (const file of walk(srcDir)) {
    const rel = path.relative(root, file);
    if (SKIP.test(rel.split(path.sep).join('/'))) continue;
    const dest = path.join(out, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (ASSET.test(file)) {
      fs.copyFileSync(file, dest);
      continue;
    }
    if (!file.endsWith('.ts')) continue;
    const outFile = dest.replace(/\.ts$/, '.js');
    let result;
    try {
      result = swc.transformFileSync(file, { ...swcOptions, filename: file, sourceMaps: 'inline' });
    } catch (error) {
      throw new Error(`${rel}: ${error.message}`);
    }
    fs.writeFileSync(outFile, rewriteAliases(result.code, outFile, out, aliasMap));
    count++;
  }
  return count;
}

function build({ service, out, libs }) {
  const aliasMap = aliases();
  const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
  delete swcrc.$schema;
  const swcOptions = { ...swcrc, swcrc: false, configFile: false };
  const trees = [];
  if (service) {
    const appSrc = path.join(root, 'apps', service, 'src');
    if (!fs.existsSync(path.join(appSrc, 'main.ts'))) throw new Error(`apps/${service}/src/main.ts does not exist`);
    trees.push(appSrc);
  }
  const libDirs = Object.values(aliasMap).map((target) => path.join(root, path.dirname(target)));
  for (const dir of libDirs) {
    const name = path.basename(path.dirname(dir));
    if (libs && !libs.includes(name)) continue;
    trees.push(dir);
  }
  let files = 0;
  for (const tree of trees) files += compileTree(tree, out, aliasMap, swcOptions);
  if (service) {
    // The image's ENTRYPOINT is fixed (exec form cannot expand the SERVICE build argument).
    fs.writeFileSync(path.join(out, 'main.js'), `'use strict';\nrequire('./apps/${service}/src/main.js');\n`);
  }
  return { files, trees: trees.map((t) => path.relative(root, t)) };
}

module.exports = { build, rewriteAliases };

if (require.main === module) {
  try {
    const args = parseArgs(process.argv.slice(2));
    if (!args.service && !args.libs) throw new Error('usage: build.cjs <service> [--out dist] [--libs a,b]');
    const { files, trees } = build(args);
    console.log(`[build] ${files} files from ${trees.join(', ')} -> ${path.relative(process.cwd(), args.out) || '.'}`);
  } catch (error) {
    console.error(`[build] ${error.message}`);
    process.exit(1);
  }
}
