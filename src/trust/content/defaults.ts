import type { LocalizedText } from '../tables.ts';

export type DefaultSection = {
  kind: 'narrative' | 'how_compliant' | 'out_of_compliance' | 'control_family';
  familyKey: string | null;
  title: LocalizedText;
  body: LocalizedText;
};

/**
 * What a fresh trust center starts with: three overview texts and the ten control families, written for
 * Attest in English, Spanish and French. The admin edits, reorders or deletes them; nothing is published
 * until the admin publishes. Paragraphs are separated by a blank line.
 */
export const defaultSections: readonly DefaultSection[] = [
  {
    kind: 'narrative',
    familyKey: null,
    title: {
      en: 'Our approach to security',
      es: 'Cómo entendemos la seguridad',
      fr: 'Notre approche de la sécurité',
    },
    body: {
      en: 'Our customers trust us with their data, and we treat that trust as the core of our work. Security is not a project we finish: it is part of how we design, build and run our service every day.\n\nThis page shows where we stand: the frameworks we follow, the controls we operate, and the documents you can review or request.',
      es: 'Nuestros clientes nos confían sus datos, y esa confianza es el centro de nuestro trabajo. La seguridad no es un proyecto que se termina: forma parte de cómo diseñamos, construimos y operamos nuestro servicio cada día.\n\nEn esta página mostramos dónde estamos: los marcos que seguimos, los controles que aplicamos y los documentos que puede consultar o solicitar.',
      fr: 'Nos clients nous confient leurs données, et cette confiance est au cœur de notre travail. La sécurité n’est pas un projet que l’on termine : elle fait partie de la façon dont nous concevons, développons et exploitons notre service au quotidien.\n\nCette page présente où nous en sommes : les référentiels que nous suivons, les mesures que nous appliquons et les documents que vous pouvez consulter ou demander.',
    },
  },
  {
    kind: 'how_compliant',
    familyKey: null,
    title: {
      en: 'How do we stay compliant?',
      es: '¿Cómo mantenemos la conformidad?',
      fr: 'Comment restons-nous conformes ?',
    },
    body: {
      en: 'We keep a written set of security controls, each tied to the frameworks it supports, and we review them regularly, not only before an audit.\n\nFor each control we keep the evidence that shows it works, so we can show an auditor, or you, what we do and since when.',
      es: 'Mantenemos por escrito un conjunto de controles de seguridad, cada uno vinculado a los marcos que respalda, y los revisamos con regularidad, no solo antes de una auditoría.\n\nPara cada control conservamos las evidencias que demuestran que funciona, de modo que podemos enseñar a un auditor, o a usted, qué hacemos y desde cuándo.',
      fr: 'Nous tenons par écrit un ensemble de mesures de sécurité, chacune rattachée aux référentiels qu’elle couvre, et nous les revoyons régulièrement, pas seulement avant un audit.\n\nPour chaque mesure, nous conservons les preuves de son bon fonctionnement : nous pouvons montrer à un auditeur, ou à vous, ce que nous faisons et depuis quand.',
    },
  },
  {
    kind: 'out_of_compliance',
    familyKey: null,
    title: {
      en: 'What if something falls out of compliance?',
      es: '¿Y si algo deja de cumplirse?',
      fr: 'Et si une mesure n’est plus respectée ?',
    },
    body: {
      en: 'When we find that a control no longer works as intended, its owner is responsible for fixing it, and we track the fix until it is done.\n\nRare, deliberate exceptions are written down with a reason and an end date, and reviewed before they expire.',
      es: 'Cuando detectamos que un control ya no funciona como debe, su responsable se encarga de corregirlo, y hacemos el seguimiento de la corrección hasta que está terminada.\n\nLas excepciones, escasas y deliberadas, se documentan con su motivo y su fecha de fin, y se revisan antes de que caduquen.',
      fr: 'Lorsque nous constatons qu’une mesure ne fonctionne plus comme prévu, son responsable est chargé de la corriger, et nous suivons la correction jusqu’à son terme.\n\nLes exceptions, rares et délibérées, sont consignées avec leur motif et leur date de fin, et revues avant leur échéance.',
    },
  },
  family(
    'policies',
    {
      en: 'Policies and procedures',
      es: 'Políticas y procedimientos',
      fr: 'Politiques et procédures',
    },
    {
      en: 'Written security policies set out how we protect information. They are approved by management, reviewed at least once a year, and every employee acknowledges the current version.',
      es: 'Nuestras políticas de seguridad escritas establecen cómo protegemos la información. La dirección las aprueba, se revisan al menos una vez al año y cada empleado confirma haber leído la versión vigente.',
      fr: 'Des politiques de sécurité écrites décrivent comment nous protégeons l’information. Elles sont approuvées par la direction, revues au moins une fois par an, et chaque salarié prend connaissance de la version en vigueur.',
    },
  ),
  family(
    'vulnerability_testing',
    {
      en: 'Vulnerability and penetration testing',
      es: 'Análisis de vulnerabilidades y pruebas de penetración',
      fr: 'Analyse de vulnérabilités et tests d’intrusion',
    },
    {
      en: 'Our code, dependencies and infrastructure are scanned for known vulnerabilities on every change. Independent testers run a penetration test at least once a year, and we fix what they find on a schedule set by severity.',
      es: 'Analizamos nuestro código, dependencias e infraestructura en busca de vulnerabilidades conocidas con cada cambio. Un equipo independiente realiza una prueba de penetración al menos una vez al año, y corregimos sus hallazgos en plazos fijados según su gravedad.',
      fr: 'Notre code, nos dépendances et notre infrastructure sont analysés à chaque modification pour détecter les vulnérabilités connues. Des testeurs indépendants mènent un test d’intrusion au moins une fois par an, et nous corrigeons leurs constats dans des délais fixés selon leur gravité.',
    },
  ),
  family(
    'encryption',
    { en: 'Encryption', es: 'Cifrado', fr: 'Chiffrement' },
    {
      en: 'Data is encrypted in transit with TLS 1.2 or later and at rest with AES-256. Encryption keys are kept apart from the data they protect and rotated on a schedule.',
      es: 'Los datos viajan cifrados con TLS 1.2 o superior y se almacenan cifrados con AES-256. Las claves se guardan separadas de los datos que protegen y se renuevan periódicamente.',
      fr: 'Les données sont chiffrées en transit avec TLS 1.2 ou plus récent, et au repos avec AES-256. Les clés sont conservées à l’écart des données qu’elles protègent et renouvelées régulièrement.',
    },
  ),
  family(
    'mfa',
    {
      en: 'Multi-factor authentication',
      es: 'Autenticación multifactor',
      fr: 'Authentification multifacteur',
    },
    {
      en: 'Every employee signs in to company systems with a second factor, such as a security key or an authenticator app. Administrative access to production always requires one.',
      es: 'Todos los empleados acceden a los sistemas de la empresa con un segundo factor, como una llave de seguridad o una aplicación de autenticación. El acceso administrativo a producción siempre lo exige.',
      fr: 'Chaque salarié se connecte aux systèmes de l’entreprise avec un second facteur, comme une clé de sécurité ou une application d’authentification. L’accès d’administration à la production l’exige toujours.',
    },
  ),
  family(
    'secure_development',
    { en: 'Secure development', es: 'Desarrollo seguro', fr: 'Développement sécurisé' },
    {
      en: 'Every change to our code is reviewed by a second engineer and passes automated tests and security checks before it ships. Production and development environments are kept separate.',
      es: 'Cada cambio en nuestro código lo revisa un segundo ingeniero y supera pruebas automáticas y controles de seguridad antes de publicarse. Los entornos de producción y de desarrollo están separados.',
      fr: 'Chaque modification de notre code est relue par un second ingénieur et passe des tests automatisés et des contrôles de sécurité avant sa mise en production. Les environnements de production et de développement sont séparés.',
    },
  ),
  family(
    'monitoring',
    { en: 'Monitoring and logging', es: 'Supervisión y registros', fr: 'Supervision et journalisation' },
    {
      en: 'We keep logs of our systems in one place and protect them against tampering, so that we can investigate unusual activity.',
      es: 'Conservamos los registros de nuestros sistemas en un único lugar y los protegemos frente a alteraciones, para poder investigar cualquier actividad inusual.',
      fr: 'Nous conservons les journaux de nos systèmes en un seul endroit et les protégeons contre toute altération, afin de pouvoir enquêter sur toute activité inhabituelle.',
    },
  ),
  family(
    'training',
    {
      en: 'Security training and awareness',
      es: 'Formación y concienciación',
      fr: 'Formation et sensibilisation',
    },
    {
      en: 'Everyone who joins completes security training in their first weeks and again every year, with phishing exercises in between. Engineers also follow secure coding training.',
      es: 'Toda persona que se incorpora completa una formación en seguridad durante sus primeras semanas y la repite cada año, con simulacros de phishing entre medias. Los ingenieros reciben además formación en programación segura.',
      fr: 'Chaque nouvel arrivant suit une formation à la sécurité dans ses premières semaines, puis chaque année, avec des exercices d’hameçonnage entre-temps. Les ingénieurs suivent en outre une formation au développement sécurisé.',
    },
  ),
  family(
    'access_control',
    {
      en: 'Access control and background checks',
      es: 'Control de acceso y verificación de antecedentes',
      fr: 'Contrôle d’accès et vérification des antécédents',
    },
    {
      en: 'Access follows least privilege: people get what their role needs and nothing more. Access is reviewed every quarter and removed the day someone leaves. Where the law allows, new hires pass a background check.',
      es: 'El acceso sigue el principio de mínimo privilegio: cada persona recibe lo que su función necesita y nada más. Los permisos se revisan cada trimestre y se retiran el mismo día de la baja. Cuando la ley lo permite, las nuevas incorporaciones superan una verificación de antecedentes.',
      fr: 'Les accès suivent le principe du moindre privilège : chacun reçoit ce dont son rôle a besoin, et rien de plus. Ils sont revus chaque trimestre et retirés le jour du départ. Lorsque la loi le permet, les nouvelles recrues font l’objet d’une vérification des antécédents.',
    },
  ),
  family(
    'third_party_audits',
    { en: 'Third-party audits', es: 'Auditorías externas', fr: 'Audits indépendants' },
    {
      en: 'Independent auditors assess our controls against recognised standards. Their reports and certificates are listed on this page, and you can request the ones that are not public.',
      es: 'Auditores independientes evalúan nuestros controles frente a normas reconocidas. Sus informes y certificados figuran en esta página, y puede solicitar los que no son públicos.',
      fr: 'Des auditeurs indépendants évaluent nos mesures au regard de normes reconnues. Leurs rapports et certificats sont listés sur cette page, et vous pouvez demander ceux qui ne sont pas publics.',
    },
  ),
  family(
    'intrusion_detection',
    { en: 'Intrusion detection', es: 'Detección de intrusiones', fr: 'Détection d’intrusion' },
    {
      en: 'Network traffic and system activity are analysed for signs of attack. A suspected intrusion starts our incident response plan, which we rehearse at least once a year.',
      es: 'Analizamos el tráfico de red y la actividad de los sistemas en busca de indicios de ataque. Ante una sospecha de intrusión se activa nuestro plan de respuesta a incidentes, que ensayamos al menos una vez al año.',
      fr: 'Le trafic réseau et l’activité des systèmes sont analysés pour repérer les signes d’attaque. Une intrusion présumée déclenche notre plan de réponse aux incidents, que nous mettons à l’épreuve au moins une fois par an.',
    },
  ),
];

function family(familyKey: string, title: LocalizedText, body: LocalizedText): DefaultSection {
  return { kind: 'control_family', familyKey, title, body };
}
