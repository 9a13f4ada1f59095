#!/usr/bin/env node
// The `verdict` command: the bundled CLI when built, the TypeScript sources otherwise (a checkout).
// The bundle (2 MB) is compiled with V8's code cache, kept in ~/.cache/verdict/v8/ per bundle and Node
// version: compiling it from source is most of a call's start-up (~350 ms on a loaded 2-core machine).
const path = require('node:path');
const fs = require('node:fs');
const bundled = path.join(__dirname, '..', 'dist', 'runner', 'cli.js');
// `verdict run` and `verdict judge` try the quick path first: through the daemon, without loading the
// full CLI (runner/cli/quick.ts); it declines, having read and sent nothing, whenever the full CLI must answer.
const quick = path.join(__dirname, '..', 'dist', 'runner', 'cli-quick.js');
if ((process.argv[2] === 'run' || process.argv[2] === 'judge') && fs.existsSync(bundled) && fs.existsSync(quick)) {
  require(quick)
    .quickCall(process.argv.slice(2))
    .then((done) => done || full());
} else full();

function full() {
  if (fs.existsSync(bundled)) {
    if (process.env.VERDICT_CODE_CACHE === '0' || !runCached(bundled)) require(bundled);
  } else {
    require('tsx/cjs');
    require('../runner/cli/entry.ts');
  }
}

/** Loads `file` as a CommonJS module from V8's code cache (made on the first call); false when it cannot. */
function runCached(file) {
  const Module = require('node:module');
  const vm = require('node:vm');
  const os = require('node:os');
  let cacheFile;
  let source;
  let cachedData;
  try {
    const st = fs.statSync(file);
    const base = process.env.VERDICT_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'verdict');
    cacheFile = path.join(base, 'v8', `cli-${st.size}-${Math.round(st.mtimeMs)}-${process.version}.bin`);
    source = fs.readFileSync(file, 'utf8');
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    if (source === undefined) return false;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = mod;
  if (!cachedData || script.cachedDataRejected) {
    // Made at exit, so it holds the functions this call compiled too (the next call's path).
    process.once('exit', () => {
      try {
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
        const tmp = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, cacheFile);
        // Caches of earlier bundles or Node versions are of no further use.
        for (const old of fs.readdirSync(path.dirname(cacheFile)))
          if (old.startsWith('cli-') && old !== path.basename(cacheFile) && !old.includes('.bin.'))
            fs.rmSync(path.join(path.dirname(cacheFile), old), { force: true });
      } catch {
        // no cache this time: the next call compiles from source again
      }
    });
  }
  script.runInThisContext().call(mod.exports, mod.exports, (id) => mod.require(id), mod, file, path.dirname(file));
  mod.loaded = true;
  return true;
}
