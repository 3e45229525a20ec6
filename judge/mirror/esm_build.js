// Builds one npm package (sub)module as a browser ES module, the way ES-module CDNs serve it:
// the package's own files bundled, every other package left as an import of a CDN URL (so
// shared libraries such as React stay single instances), CommonJS given named exports (read
// with cjs-module-lexer, never by running the package). Runs on the host, on stored files only.
//
// Usage: node esm_build.js CONFIG_JSON   (config: see judge/mirror/esm.py)
"use strict";
const fs = require("fs");
const path = require("path");

const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const esbuild = require(cfg.esbuild_js);
const lexer = require(cfg.lexer_js);

const IDENT = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(("break case catch class const continue debugger default delete do else enum export " +
  "extends false finally for function if import in instanceof new null return super switch this throw true try " +
  "typeof var void while with yield let static implements interface package private protected public await").split(" "));

function pkgOf(spec) {
  const parts = spec.split("/");
  const n = spec.startsWith("@") ? 2 : 1;
  return [parts.slice(0, n).join("/"), parts.slice(n).join("/")];
}

function cdnUrl(name, version, sub, query) {
  const at = version ? "@" + encodeURIComponent(version) : "";
  return cfg.url_template.replace("{name}", name).replace("{at}", at).replace("{sub}", sub ? "/" + sub : "") + (query || "");
}

// Node's own modules with no browser stand-in on npm: what a browser build gets is an empty
// module, as ES-module CDNs serve (packages reach them inside `try`, or only on Node: a
// random seed's `require("crypto")`). The others (events, buffer, util, path, process, url …)
// are npm packages of the same name written for browsers, and are imported as packages.
const NODE_ONLY = new Set(("async_hooks child_process cluster crypto dgram diagnostics_channel dns fs " +
  "http http2 https inspector module net os perf_hooks readline repl stream tls trace_events tty " +
  "v8 vm wasi worker_threads zlib").split(" "));

// Where a bare import of another package (or of another entry of this one) points.
function depUrl(spec) {
  const [name, sub] = pkgOf(spec);
  if (name === cfg.name) {
    // Another entry of the same package (preact/hooks importing preact, three's addons
    // importing three): the CDN URL of that entry at this version, as esm.sh does, so the
    // page and this module share one instance (bundled, it was a second copy).
    return cdnUrl(name, cfg.version, sub, cfg.self_query);
  }
  if (cfg.external.includes("*") || cfg.external.includes(name)) {
    return spec; // esm.sh's `?external=`: left bare, for the page's import map
  }
  return cdnUrl(name, cfg.ranges[name], sub, cfg.queries[name]);
}

const cdnDeps = {
  name: "cdn-deps",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("/") || /^[a-z]+:/.test(args.path)) return { path: args.path, external: true };
      if (args.path === cfg.spec) return undefined; // the module asked for: bundled
      if (NODE_ONLY.has(args.path.replace(/^node:/, "").split("/")[0])) {
        return { path: args.path, namespace: "node-only" };
      }
      const url = depUrl(args.path.replace(/^node:/, ""));
      // require() of another package: an ESM shim esbuild can wrap for CommonJS callers.
      if (args.kind === "require-call") return { path: url, namespace: "cdn-shim" };
      return { path: url, external: true };
    });
    build.onLoad({ filter: /.*/, namespace: "node-only" }, () => ({ contents: "export default {};", loader: "js" }));
    build.onLoad({ filter: /.*/, namespace: "cdn-shim" }, (args) => ({
      contents: `export * from ${JSON.stringify(args.path)};`,
      loader: "js",
    }));
    build.onResolve({ filter: /^https?:/, namespace: "cdn-shim" }, (args) => ({ path: args.path, external: true }));
  },
};

function cjsExports(file, seen = new Set()) {
  if (seen.has(file) || seen.size > 50) return [];
  seen.add(file);
  let src;
  try { src = fs.readFileSync(file, "utf8"); } catch (e) { return []; }
  const { exports, reexports } = lexer.parse(src);
  const out = [...exports];
  for (const re of reexports) {
    if (!re.startsWith(".")) continue;
    let target = path.resolve(path.dirname(file), re);
    for (const cand of [target, target + ".js", path.join(target, "index.js")]) {
      if (fs.existsSync(cand) && fs.statSync(cand).isFile()) { out.push(...cjsExports(cand, seen)); break; }
    }
  }
  return out;
}

// `export * from "<another package>"` inside the package's own files (lit's index re-exports
// lit-html and @lit/reactive-element) is a set of names esbuild cannot know: bundled, it
// becomes a runtime copy into an object, and the module's namespace comes out empty. The
// external modules such chains reach from the entry are re-exported from the entry itself,
// where `export *` stays an ES statement. Chains are followed through the package's files.
function starExternals(inputs, entryKey) {
  const out = [];
  const seen = new Set();
  const stack = [entryKey];
  while (stack.length) {
    const key = stack.pop();
    if (seen.has(key) || !inputs[key]) continue;
    seen.add(key);
    const file = path.resolve(cfg.work, key);
    let src;
    try { src = fs.readFileSync(file, "utf8"); } catch (e) { continue; }
    const own = new Set(inputs[key].imports.filter((i) => !i.external).map((i) => path.resolve(cfg.work, i.path)));
    for (const m of src.matchAll(/export\s*\*\s*from\s*(["'])([^"'\n]+)\1/g)) {
      const spec = m[2];
      if (/^[a-z]+:/.test(spec)) out.push(spec);
      else if (!spec.startsWith(".") && !spec.startsWith("/")) {
        const bare = spec.replace(/^node:/, "");
        if (spec !== cfg.spec && !NODE_ONLY.has(bare.split("/")[0])) out.push(depUrl(bare));
      } else {
        // A file of the package's own: follow the chain into it (as esbuild resolved it).
        const base = path.resolve(path.dirname(file), spec);
        const hit = [base, base + ".js", base + ".mjs", path.join(base, "index.js")].find((c) => own.has(c));
        if (hit) stack.push(path.relative(cfg.work, hit));
      }
    }
  }
  return [...new Set(out)];
}

async function build(contents, metafile) {
  return esbuild.build({
    stdin: { contents, resolveDir: cfg.work, sourcefile: "entry.js", loader: "js" },
    bundle: true, format: "esm", platform: "browser", target: "es2020", write: false,
    metafile, logLevel: "silent", nodePaths: [cfg.node_modules], plugins: [cdnDeps],
    conditions: ["browser", "module", "import", "default"], mainFields: ["browser", "module", "main"],
    define: { "process.env.NODE_ENV": '"production"' }, legalComments: "none",
  });
}

(async () => {
  const spec = JSON.stringify(cfg.spec);
  const probe = await build(`import * as ns from ${spec}; export { ns };`, true);
  const inputs = probe.metafile.inputs;
  const entry = inputs["entry.js"] && inputs["entry.js"].imports[0];
  const entryFile = entry ? path.resolve(cfg.work, entry.path) : null;
  const fmt = entry && inputs[entry.path] ? inputs[entry.path].format : undefined;
  let code;
  if (fmt === "cjs" || (fmt === undefined && entryFile && !/\.m[jt]s$/.test(entryFile))) {
    await lexer.init && lexer.init();
    const names = [...new Set(cjsExports(entryFile))].filter((n) => IDENT.test(n) && !RESERVED.has(n) && n !== "__esModule");
    code = `import * as ns from ${spec}; const m = ns.default ?? ns; export default m;` +
      (names.length ? ` export const { ${names.join(", ")} } = m;` : "");
  } else {
    const stars = starExternals(inputs, entry.path).map((u) => ` export * from ${JSON.stringify(u)};`).join("");
    code = `export * from ${spec}; export { default } from ${spec};` + stars;
    try { await build(code, false); } catch (e) { code = `export * from ${spec};` + stars; }
  }
  const out = await build(code, false);
  process.stdout.write(out.outputFiles[0].text);
})().catch((e) => { process.stderr.write(String(e && e.message || e).slice(0, 2000)); process.exit(1); });
