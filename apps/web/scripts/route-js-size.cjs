// JavaScript each route loads in the browser, from the last `next build`: the route's own chunks
// (its client-reference manifest) and the shared runtime every page loads. Run from the repo root:
//   node apps/web/scripts/route-js-size.cjs
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const next = path.join(__dirname, '..', '.next');
const size = (file) => {
  const bytes = fs.readFileSync(path.join(next, file.replace(/^\/?_next\//, '')));
  return { raw: bytes.length, gz: zlib.gzipSync(bytes).length };
};
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

const rows = [];
(function walk(dir) {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isDirectory()) walk(file);
    else if (name === 'page_client-reference-manifest.js') {
      globalThis.__RSC_MANIFEST = {};
      // The manifest is a script assigning to globalThis.__RSC_MANIFEST.
      new Function(fs.readFileSync(file, 'utf8'))();
      const [route, manifest] = Object.entries(globalThis.__RSC_MANIFEST)[0];
      const files = new Set(Object.values(manifest.entryJSFiles ?? {}).flat());
      let raw = 0;
      let gz = 0;
      for (const f of files) {
        const s = size(f);
        raw += s.raw;
        gz += s.gz;
      }
      rows.push({ route, raw, gz });
    }
  }
})(path.join(next, 'server', 'app'));

const shared = JSON.parse(fs.readFileSync(path.join(next, 'build-manifest.json'), 'utf8')).rootMainFiles;
const s = shared.map(size).reduce((a, b) => ({ raw: a.raw + b.raw, gz: a.gz + b.gz }), { raw: 0, gz: 0 });
console.log(`shared by every route: ${kb(s.gz)} gzip (${kb(s.raw)})`);
for (const r of rows.sort((a, b) => a.route.localeCompare(b.route)))
  console.log(`${r.route.padEnd(36)} +${kb(r.gz).padStart(9)} gzip (${kb(r.raw)})`);
