import { writeFileSync } from 'node:fs';
import { API_TYPES_FILE, renderApiTypes } from './api-types.ts';

/** `npm run api:generate`: rewrites web/src/generated/api.ts from the current server's routes. */
writeFileSync(API_TYPES_FILE, await renderApiTypes());
console.log(`wrote ${API_TYPES_FILE}`);
process.exit(0);
