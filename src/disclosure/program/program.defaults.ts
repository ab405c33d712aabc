import type { Locale } from '../../core/i18n/index.ts';
import type { LocalizedText, OutOfScopeCategory, ProgramSource } from './program.schema.ts';

/**
 * The program a fresh install starts its draft from (nothing is published until someone publishes): the usual scope exclusions, rules, promises and
 * safe harbor of a vulnerability disclosure program, written for Attest in English, Spanish and French.
 * Texts may use `{{companyName}}`, `{{responseBusinessDays}}` and `{{disclosureDeadlineDays}}`; the
 * renders fill them in, so editing a number never leaves a stale copy of it in the prose.
 */

type Texts = Required<LocalizedText>;

/** Where reports go: the report form; the organization's security contact is added when it is set. */
export const REPORT_FORM_PATH = '/security/report';

const introduction: Texts = {
  en: 'Keeping our customers and their data safe is part of our job, and independent security researchers help us do it. If you believe you have found a security vulnerability in one of our systems, please tell us: we will work with you to understand it and fix it quickly.\n\nThis policy explains what you may test, how to report what you find, and what you can expect from us in return.',
  es: 'Proteger a nuestros clientes y sus datos forma parte de nuestro trabajo, y los investigadores de seguridad independientes nos ayudan a hacerlo. Si cree haber encontrado una vulnerabilidad en alguno de nuestros sistemas, avísenos: colaboraremos con usted para entenderla y corregirla cuanto antes.\n\nEsta política explica qué puede analizar, cómo comunicarnos lo que encuentre y qué puede esperar de nosotros a cambio.',
  fr: 'Protéger nos clients et leurs données fait partie de notre métier, et les chercheurs en sécurité indépendants nous y aident. Si vous pensez avoir trouvé une vulnérabilité dans l’un de nos systèmes, prévenez-nous : nous travaillerons avec vous pour la comprendre et la corriger rapidement.\n\nCette politique précise ce que vous pouvez tester, comment nous signaler vos découvertes et ce que vous pouvez attendre de nous en retour.',
};

function category(key: string, vrtId: string | null, label: Texts): OutOfScopeCategory {
  return { key, vrtId, label };
}

/** The usual exclusions: findings without a realistic attack, or tests that would harm users. */
export const defaultOutOfScopeCategories: OutOfScopeCategory[] = [
  category(
    'clickjacking-non-sensitive',
    'server_security_misconfiguration.clickjacking.non_sensitive_action',
    {
      en: 'Clickjacking on pages that offer no sensitive action',
      es: 'Clickjacking en páginas sin acciones sensibles',
      fr: 'Clickjacking sur des pages sans action sensible',
    },
  ),
  category(
    'csrf-unauthenticated-or-login',
    'cross_site_request_forgery_csrf.action_specific.unauthenticated_action',
    {
      en: 'Cross-site request forgery (CSRF) on unauthenticated forms or on the login form',
      es: 'Falsificación de petición en sitios cruzados (CSRF) en formularios sin autenticación o en el inicio de sesión',
      fr: 'Falsification de requête intersite (CSRF) sur des formulaires non authentifiés ou sur la connexion',
    },
  ),
  category('csrf-logout', 'cross_site_request_forgery_csrf.action_specific.logout', {
    en: 'Cross-site request forgery (CSRF) on logout',
    es: 'Falsificación de petición en sitios cruzados (CSRF) al cerrar sesión',
    fr: 'Falsification de requête intersite (CSRF) sur la déconnexion',
  }),
  category('mitm-or-physical-access', null, {
    en: 'Attacks that require a man-in-the-middle position or physical access to a user’s device',
    es: 'Ataques que requieren interceptar la comunicación (MITM) o acceso físico al dispositivo de un usuario',
    fr: 'Attaques qui supposent une interception (MITM) ou un accès physique à l’appareil d’un utilisateur',
  }),
  category('denial-of-service', 'application_level_denial_of_service_dos', {
    en: 'Denial of service, and any test that could degrade or interrupt our services',
    es: 'Denegación de servicio, y cualquier prueba que pueda degradar o interrumpir nuestros servicios',
    fr: 'Déni de service, et tout test susceptible de dégrader ou d’interrompre nos services',
  }),
  category('content-spoofing-text-injection', 'server_side_injection.content_spoofing.text_injection', {
    en: 'Content spoofing and text injection without a demonstrated attack vector or the ability to change HTML or CSS',
    es: 'Suplantación de contenido e inyección de texto sin un vector de ataque demostrado ni posibilidad de modificar HTML o CSS',
    fr: 'Usurpation de contenu et injection de texte sans vecteur d’attaque démontré ni possibilité de modifier le HTML ou le CSS',
  }),
  category(
    'email-spoofing',
    'server_security_misconfiguration.mail_server_misconfiguration.no_spoofing_protection_on_email_domain',
    {
      en: 'E-mail spoofing, including missing or lax SPF, DKIM or DMARC records',
      es: 'Suplantación de correo electrónico, incluidos registros SPF, DKIM o DMARC ausentes o permisivos',
      fr: 'Usurpation d’adresse e-mail, y compris des enregistrements SPF, DKIM ou DMARC absents ou permissifs',
    },
  ),
  category('missing-dnssec', 'server_security_misconfiguration.missing_dnssec', {
    en: 'Missing DNSSEC',
    es: 'Ausencia de DNSSEC',
    fr: 'Absence de DNSSEC',
  }),
  category('missing-caa-record', 'server_security_misconfiguration.misconfigured_dns.missing_caa_record', {
    en: 'Missing CAA DNS records',
    es: 'Ausencia de registros DNS CAA',
    fr: 'Absence d’enregistrements DNS CAA',
  }),
  category(
    'missing-csp-header',
    'server_security_misconfiguration.lack_of_security_headers.content_security_policy',
    {
      en: 'A missing or incomplete Content-Security-Policy header',
      es: 'Cabecera Content-Security-Policy ausente o incompleta',
      fr: 'En-tête Content-Security-Policy absent ou incomplet',
    },
  ),
  category(
    'cookie-flags-non-sensitive',
    'server_security_misconfiguration.missing_secure_or_httponly_cookie_flag.non_session_cookie',
    {
      en: 'Missing Secure or HttpOnly flags on cookies that hold nothing sensitive',
      es: 'Ausencia de los atributos Secure o HttpOnly en cookies que no contienen nada sensible',
      fr: 'Absence des attributs Secure ou HttpOnly sur des cookies qui ne contiennent rien de sensible',
    },
  ),
  category('dead-links', null, {
    en: 'Broken or dead links',
    es: 'Enlaces rotos',
    fr: 'Liens morts ou cassés',
  }),
  category('rate-limiting', 'server_security_misconfiguration.no_rate_limiting_on_form', {
    en: 'Missing or weak rate limiting',
    es: 'Limitación de peticiones ausente o insuficiente',
    fr: 'Limitation du nombre de requêtes absente ou insuffisante',
  }),
];

const rulesOfEngagement: Texts[] = [
  {
    en: 'Do not run automated scanners against our systems. If you need to, ask us first and we will try to set up a test environment for you.',
    es: 'No lance escáneres automáticos contra nuestros sistemas. Si los necesita, pídanoslo antes e intentaremos prepararle un entorno de pruebas.',
    fr: 'N’utilisez pas de scanners automatiques contre nos systèmes. Si vous en avez besoin, demandez-le-nous d’abord : nous essaierons de vous préparer un environnement de test.',
  },
  {
    en: 'Use your own accounts. Access no more data than you need to prove the issue, and never change or delete other people’s data. If you reach personal data, stop and tell us.',
    es: 'Utilice sus propias cuentas. No acceda a más datos de los necesarios para demostrar el problema y nunca modifique ni borre datos de otras personas. Si llega a datos personales, deténgase y avísenos.',
    fr: 'Utilisez vos propres comptes. N’accédez pas à plus de données que nécessaire pour prouver le problème, et ne modifiez ni ne supprimez jamais les données d’autrui. Si vous atteignez des données personnelles, arrêtez-vous et prévenez-nous.',
  },
  {
    en: 'Keep the vulnerability between us until it is fixed, or until we agree on a publication date together.',
    es: 'No comparta la vulnerabilidad con nadie hasta que esté corregida o hasta que acordemos juntos una fecha de publicación.',
    fr: 'Gardez la vulnérabilité pour vous jusqu’à sa correction, ou jusqu’à ce que nous convenions ensemble d’une date de publication.',
  },
  {
    en: 'No social engineering, phishing, physical attacks, distributed denial of service or spam, against us, our staff or our customers.',
    es: 'Nada de ingeniería social, phishing, ataques físicos, denegación de servicio distribuida ni spam, ni contra nosotros, ni contra nuestro personal, ni contra nuestros clientes.',
    fr: 'Pas d’ingénierie sociale, d’hameçonnage, d’attaque physique, de déni de service distribué ni de spam, ni contre nous, ni contre notre personnel, ni contre nos clients.',
  },
  {
    en: 'Do not attack third-party services we use; report their issues to their owners.',
    es: 'No ataque los servicios de terceros que utilizamos; comunique sus problemas a sus responsables.',
    fr: 'N’attaquez pas les services tiers que nous utilisons ; signalez leurs problèmes à leurs responsables.',
  },
];

const reportingGuidance: Texts = {
  en: 'Tell us enough to reproduce the problem: the affected URL, application or repository, the steps you took, what an attacker could achieve, and any proof-of-concept code or screenshots. A short report is welcome; a complex vulnerability may need more explanation. Write in English, Spanish or French.',
  es: 'Denos información suficiente para reproducir el problema: la URL, aplicación o repositorio afectados, los pasos que siguió, lo que podría conseguir un atacante y, si los tiene, código de prueba de concepto o capturas de pantalla. Un informe breve es bienvenido; una vulnerabilidad compleja puede necesitar más detalle. Puede escribirnos en español, inglés o francés.',
  fr: 'Donnez-nous de quoi reproduire le problème : l’URL, l’application ou le dépôt concernés, les étapes suivies, ce qu’un attaquant pourrait obtenir et, le cas échéant, un code de preuve de concept ou des captures d’écran. Un rapport court nous convient ; une vulnérabilité complexe peut demander plus d’explications. Vous pouvez écrire en français, en anglais ou en espagnol.',
};

const promises: Texts[] = [
  {
    en: 'We will reply within {{responseBusinessDays}} business days with our assessment of your report and the date by which we expect to resolve it.',
    es: 'Le responderemos en un plazo de {{responseBusinessDays}} días hábiles con nuestra valoración del informe y la fecha en la que prevemos resolverlo.',
    fr: 'Nous vous répondrons sous {{responseBusinessDays}} jours ouvrés avec notre évaluation de votre rapport et la date à laquelle nous prévoyons de le résoudre.',
  },
  {
    en: 'If you follow this policy, we will not take legal action against you or ask anyone else to, for your research or your report.',
    es: 'Si respeta esta política, no emprenderemos acciones legales contra usted, ni pediremos a nadie que lo haga, por su investigación o su informe.',
    fr: 'Si vous respectez cette politique, nous n’engagerons aucune action en justice contre vous, ni ne demanderons à quiconque de le faire, au titre de vos recherches ou de votre rapport.',
  },
  {
    en: 'We will handle your report in confidence and will not share your personal details with anyone outside the team without your permission.',
    es: 'Trataremos su informe de forma confidencial y no compartiremos sus datos personales con nadie ajeno al equipo sin su permiso.',
    fr: 'Nous traiterons votre rapport de manière confidentielle et ne communiquerons vos données personnelles à personne en dehors de l’équipe sans votre accord.',
  },
  {
    en: 'We will keep you informed as we work on a fix.',
    es: 'Le mantendremos al tanto mientras trabajamos en la corrección.',
    fr: 'Nous vous tiendrons informé de l’avancement de la correction.',
  },
  {
    en: 'Once the issue is fixed, we will credit you publicly as its discoverer, unless you prefer to stay anonymous.',
    es: 'Cuando el problema esté corregido, le reconoceremos públicamente como su descubridor, salvo que prefiera permanecer en el anonimato.',
    fr: 'Une fois le problème corrigé, nous vous citerons publiquement comme son découvreur, sauf si vous préférez rester anonyme.',
  },
  {
    en: 'We aim to fix every valid report quickly and would like to publish the advisory together with you. We ask you to wait up to {{disclosureDeadlineDays}} days after your report before disclosing it yourself.',
    es: 'Queremos corregir cada informe válido con rapidez y nos gustaría publicar el aviso junto con usted. Le pedimos que espere hasta {{disclosureDeadlineDays}} días desde su informe antes de divulgarlo por su cuenta.',
    fr: 'Nous cherchons à corriger rapidement chaque rapport valide et aimerions publier l’avis avec vous. Nous vous demandons d’attendre jusqu’à {{disclosureDeadlineDays}} jours après votre rapport avant de le divulguer vous-même.',
  },
];

const safeHarbor: Texts = {
  en: 'We consider security research carried out in good faith and in line with this policy to be authorized. We will not pursue or support legal action against you for it, including under anti-hacking or anti-circumvention laws, and we will not treat it as a breach of our terms of service. If someone else takes legal action over research you did under this policy, we will make it known that you acted with our authorization.\n\nIf you are unsure whether something you plan to do is consistent with this policy, ask us before you do it.',
  es: 'Consideramos autorizada la investigación de seguridad realizada de buena fe y conforme a esta política. No emprenderemos ni apoyaremos acciones legales contra usted por ella, tampoco al amparo de leyes contra la intrusión informática o la elusión de medidas técnicas, y no la consideraremos un incumplimiento de nuestras condiciones de servicio. Si un tercero emprende acciones legales por una investigación que usted hizo conforme a esta política, daremos a conocer que actuó con nuestra autorización.\n\nSi duda de que algo que piensa hacer sea compatible con esta política, pregúntenos antes.',
  fr: 'Nous considérons comme autorisée toute recherche en sécurité menée de bonne foi et dans le respect de cette politique. Nous n’engagerons ni ne soutiendrons aucune action en justice contre vous à ce titre, y compris sur le fondement des lois réprimant l’intrusion informatique ou le contournement de mesures techniques, et nous ne la considérerons pas comme une violation de nos conditions d’utilisation. Si un tiers engage une action contre vous pour des recherches menées selon cette politique, nous ferons savoir que vous avez agi avec notre autorisation.\n\nEn cas de doute sur la conformité d’une démarche à cette politique, interrogez-nous avant d’agir.',
};

export type ProgramDefaultsInput = {
  companyName: string;
  defaultLocale: Locale;
  /** The install's public URL: its host is the one in-scope asset, unless it is a local name or address. */
  publicUrl: string;
};

/** A host that is this machine (localhost, an address, a single label): never a default asset. */
function isLocalHost(host: string): boolean {
  return !host.includes('.') || /^[\d.]+$/.test(host) || host.startsWith('[') || /\.localhost$/.test(host);
}

/** The program a fresh install starts from (see the file comment). */
export function defaultProgramSource(input: ProgramDefaultsInput): ProgramSource {
  const host = new URL(input.publicUrl).hostname;
  const assets: ProgramSource['assets'] = isLocalHost(host)
    ? []
    : [
        {
          identifier: host,
          kind: 'domain',
          inScope: true,
          description: {
            en: 'Our website, trust center and this disclosure program.',
            es: 'Nuestro sitio web, el centro de confianza y este programa de divulgación.',
            fr: 'Notre site web, le centre de confiance et ce programme de divulgation.',
          },
        },
      ];
  return {
    companyName: input.companyName,
    defaultLocale: input.defaultLocale,
    introduction: { ...introduction },
    assets,
    outOfScopeCategories: defaultOutOfScopeCategories.map((c) => ({ ...c, label: { ...c.label } })),
    rulesOfEngagement: rulesOfEngagement.map((rule) => ({ ...rule })),
    reportingGuidance: { ...reportingGuidance },
    promises: promises.map((promise) => ({ ...promise })),
    safeHarbor: { ...safeHarbor },
    reserveScopeDecision: true,
    // The e-mail contact is the organization's security contact, added when rendered (withOrganization).
    contacts: [{ kind: 'form', value: REPORT_FORM_PATH, label: {} }],
    responseBusinessDays: 3,
    fixTargetDays: { critical: 7, high: 30, medium: 60, low: 90 },
    disclosureDeadlineDays: 90,
    timeZone: 'UTC',
    holidays: { country: null, region: null },
    preferredLanguages: ['en', 'es', 'fr'],
    securityTxt: { expiresDays: 180, autoRenew: true, fixedExpires: null, hiringUrl: null },
  };
}
