// Initialise GOV.UK Frontend and MoJ Frontend components.
//
// This is a static ES module (not inline) because the Content-Security-Policy
// only allows scripts from 'self' plus the hashed GOV.UK body-class snippet.
// The vendor files are copied into static/vendor/ by `npm run build`.
// Relative imports keep this working under any STATIC_URL.
import { initAll as initGovuk } from "../vendor/govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../vendor/moj/moj-frontend.min.js";

initGovuk();
initMoj();
