// Copy the vendored front-end JS and MoJ icons into static/vendor/ (git-ignored).
// Run by `npm run build` (after Sass). No extra npm dependencies: node:fs only.
//
// Output:
//   static/vendor/govuk/govuk-frontend.min.js
//   static/vendor/moj/moj-frontend.min.js
//   static/vendor/moj/assets/images/icon-*.svg
// We deliberately do NOT copy the GOV.UK fonts, crest, crown or opengraph image.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const nodeModules = join(root, "node_modules");
const vendor = join(root, "static", "vendor");

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  console.log(`copied ${from.slice(root.length + 1)} -> ${to.slice(root.length + 1)}`);
}

rmSync(vendor, { recursive: true, force: true });

const govukDist = join(nodeModules, "govuk-frontend", "dist", "govuk");
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copy(join(govukDist, name), join(vendor, "govuk", name));
}

const mojDir = join(nodeModules, "@ministryofjustice", "frontend", "moj");
for (const name of ["moj-frontend.min.js", "moj-frontend.min.js.map"]) {
  copy(join(mojDir, name), join(vendor, "moj", name));
}

const mojImages = join(mojDir, "assets", "images");
for (const name of readdirSync(mojImages)) {
  if (name.startsWith("icon-") && name.endsWith(".svg")) {
    copy(join(mojImages, name), join(vendor, "moj", "assets", "images", name));
  }
}
