import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LOCALES, type Locale, setApiLanguage } from './api';
import advisoriesEn from './locales/disclosure/advisories.en.json';
import advisoriesEs from './locales/disclosure/advisories.es.json';
import advisoriesFr from './locales/disclosure/advisories.fr.json';
import programEn from './locales/disclosure/program.en.json';
import programEs from './locales/disclosure/program.es.json';
import programFr from './locales/disclosure/program.fr.json';
import triageEn from './locales/disclosure/triage.en.json';
import triageEs from './locales/disclosure/triage.es.json';
import triageFr from './locales/disclosure/triage.fr.json';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';

// Every catalog must carry every English key (checked by the compiler).
const esCatalog: typeof en = es;
const frCatalog: typeof en = fr;
// The disclosure screens keep their texts in their own namespaces (one file per screen group).
const vdp = {
  en: { vdpProgram: programEn, vdpTriage: triageEn, vdpAdvisories: advisoriesEn },
  es: {
    vdpProgram: programEs satisfies typeof programEn,
    vdpTriage: triageEs satisfies typeof triageEn,
    vdpAdvisories: advisoriesEs satisfies typeof advisoriesEn,
  },
  fr: {
    vdpProgram: programFr satisfies typeof programEn,
    vdpTriage: triageFr satisfies typeof triageEn,
    vdpAdvisories: advisoriesFr satisfies typeof advisoriesEn,
  },
};

export const resources = {
  en: { translation: en, ...vdp.en },
  es: { translation: esCatalog, ...vdp.es },
  fr: { translation: frCatalog, ...vdp.fr },
} as const;

const STORAGE_KEY = 'attest.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function readStoredLocale(): Locale | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : null;
  } catch {
    return null;
  }
}

function browserLocale(): Locale {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

/** True when the user picked a language explicitly in this browser. */
export function hasStoredLocale(): boolean {
  return readStoredLocale() !== null;
}

function applyDocumentLanguage(locale: Locale): void {
  document.documentElement.lang = locale;
  setApiLanguage(locale);
}

export function currentLocale(): Locale {
  return isLocale(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
}

/** Switch the interface language and remember the choice in this browser. */
export async function setLocale(locale: Locale): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this page only.
  }
  await i18n.changeLanguage(locale);
}

const initial = readStoredLocale() ?? browserLocale();
applyDocumentLanguage(initial);
i18n.on('languageChanged', (lng) => {
  if (isLocale(lng)) applyDocumentLanguage(lng);
});

void i18n.use(initReactI18next).init({
  resources,
  lng: initial,
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  interpolation: { escapeValue: false },
});

export default i18n;
