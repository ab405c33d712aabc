import { useTranslation } from 'react-i18next';
import { api, type Locale } from '../api';
import { currentLocale, setLocale } from '../i18n';
import { useSession } from '../session';
import { LocaleSelect } from './LocaleSelect';

/** Header language picker; when signed in, the choice is also saved to the user's profile. */
export function LanguageSwitcher() {
  const { t } = useTranslation();
  const { session, setUser } = useSession();

  const change = async (locale: Locale) => {
    await setLocale(locale);
    if (session?.state === 'active' && session.user.locale !== locale) {
      try {
        setUser(await api.updateMe({ locale }));
      } catch {
        // The interface language already changed; the profile keeps its previous preference.
      }
    }
  };

  return (
    <LocaleSelect
      aria-label={t('language.label')}
      size="xs"
      value={currentLocale()}
      onChange={(locale) => void change(locale)}
    />
  );
}
