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

const cdnDeps = {
  name: "cdn-deps",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("/") || /^[a-z]+:/.test(args.path)) return { path: args.path, external: true };
      if (args.path === cfg.spec) return undefined; // the module asked for: bundled
      const [name, sub] = pkgOf(args.path);
      let url;
      if (name === cfg.name) {
        // Another entry of the same package (preact/hooks importing preact, three's addons
        // importing three): the CDN URL of that entry at this version, as esm.sh does, so the
        // page and this module share one instance (bundled, it was a second copy).
        url = cdnUrl(name, cfg.version, sub, cfg.self_query);
      } else if (cfg.external.includes("*") || cfg.external.includes(name)) {
        url = args.path; // esm.sh's `?external=`: left bare, for the page's import map
      } else {
        url = cdnUrl(name, cfg.ranges[name], sub, cfg.queries[name]);
      }
      // require() of another package: an ESM shim esbuild can wrap for CommonJS callers.
      if (args.kind === "require-call") return { path: url, namespace: "cdn-shim" };
      return { path: url, external: true };
    });
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
    code = `export * from ${spec}; export { default } from ${spec};`;
    try { await build(code, false); } catch (e) { code = `export * from ${spec};`; }
  }
  const out = await build(code, false);
  process.stdout.write(out.outputFiles[0].text);
})().catch((e) => { process.stderr.write(String(e && e.message || e).slice(0, 2000)); process.exit(1); });
