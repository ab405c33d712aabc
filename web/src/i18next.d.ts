import 'i18next';
import type advisories from './locales/disclosure/advisories.en.json';
import type program from './locales/disclosure/program.en.json';
import type triage from './locales/disclosure/triage.en.json';
import type en from './locales/en.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: {
      translation: typeof en;
      vdpProgram: typeof program;
      vdpTriage: typeof triage;
      vdpAdvisories: typeof advisories;
    };
  }
}
