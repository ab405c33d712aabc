import { fileURLToPath } from 'node:url';
import { registerCatalogs } from '../core/i18n/translate.ts';
import { registerTrustMail } from './mail.templates.ts';

// The trust center's texts and mail, handed to the kernel's registries. Imported first by ./index.ts (and
// by tests that render trust mail or texts without building the app); registering twice is harmless.
registerCatalogs(fileURLToPath(new URL('./locales/', import.meta.url)));
registerTrustMail();
