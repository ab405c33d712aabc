import { fileURLToPath } from 'node:url';
import { registerCatalogs } from '../core/i18n/translate.ts';
import { registerDisclosureProgramMail } from './mail/program.templates.ts';
import { registerDisclosureResearcherMail } from './mail/researcher.templates.ts';
import { registerDisclosureTeamMail } from './mail/team.templates.ts';

// The disclosure program's texts (vdp-*, mail-vdp-*) and mail, handed to the kernel's registries.
// Imported first by ./index.ts (and by tests that render its mail or texts without building the app).
registerCatalogs(fileURLToPath(new URL('./locales/', import.meta.url)));
registerDisclosureProgramMail();
registerDisclosureResearcherMail();
registerDisclosureTeamMail();
