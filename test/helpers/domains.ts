// Every test file starts as the built app does: each domain has handed its catalogs and mail templates to the
// kernel (src/<domain>/register.ts, imported by the domain's index). Unit tests that import one area's file
// directly would otherwise see `trust-documents:…` keys instead of text.
import '../../src/disclosure/register.ts';
import '../../src/trust/register.ts';
