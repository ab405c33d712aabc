/**
 * A realistic published trust center for `npm run bench:trust`, made through the real admin API with an
 * admin API token: company profile with a logo, five certifications, the default overview sections with
 * statuses, FAQ, subprocessors, two security notes and four documents with PDF files; then published.
 * Texts are a fictional company's, in English, Spanish and French.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';

type Json = Record<string, unknown>;

/** `today` moved by whole days, as YYYY-MM-DD. */
function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 40" width="160" height="40">
<rect width="40" height="40" rx="8" fill="#1d4f91"/>
<path d="M11 21l7 7 12-15" stroke="#ffffff" stroke-width="4" fill="none" stroke-linecap="round"/>
<text x="50" y="27" font-family="sans-serif" font-size="18" font-weight="700" fill="#1d4f91">Northwind</text>
</svg>`;

const PROFILE = {
  companyName: 'Northwind Analytics',
  securityContact: 'security@northwind.example',
  defaultLocale: 'en',
  logo: `data:image/svg+xml;base64,${Buffer.from(LOGO).toString('base64')}`,
  summary: {
    en: 'Northwind Analytics helps retailers forecast demand from their sales data. We host that data in the EU, encrypt it everywhere, and let an independent auditor check how we protect it every year.',
    es: 'Northwind Analytics ayuda a los comercios a prever la demanda a partir de sus datos de ventas. Alojamos esos datos en la UE, los ciframos en todo momento y cada año un auditor independiente revisa cómo los protegemos.',
    fr: 'Northwind Analytics aide les commerçants à prévoir la demande à partir de leurs données de vente. Nous hébergeons ces données dans l’UE, les chiffrons en permanence et un auditeur indépendant vérifie chaque année comment nous les protégeons.',
  },
};

const CERTIFICATIONS: Json[] = [
  {
    name: 'ISO 27001',
    status: 'compliant',
    auditor: 'Certa Assurance GmbH',
    obtainedOn: day(-420),
    validUntil: day(675),
    description: {
      en: 'Our information security management system is certified for the whole company.',
      es: 'Nuestro sistema de gestión de la seguridad de la información está certificado para toda la empresa.',
      fr: 'Notre système de management de la sécurité de l’information est certifié pour toute l’entreprise.',
    },
  },
  {
    name: 'SOC 2 Type II',
    status: 'compliant',
    auditor: 'Hale & Moreno LLP',
    obtainedOn: day(-150),
    validUntil: day(215),
    description: {
      en: 'Security, availability and confidentiality, over a twelve-month observation period.',
      es: 'Seguridad, disponibilidad y confidencialidad, durante un periodo de observación de doce meses.',
      fr: 'Sécurité, disponibilité et confidentialité, sur une période d’observation de douze mois.',
    },
  },
  {
    name: 'GDPR',
    status: 'compliant',
    description: {
      en: 'We act as a processor under a data processing agreement that every customer can sign.',
      es: 'Actuamos como encargado del tratamiento con un acuerdo que cualquier cliente puede firmar.',
      fr: 'Nous agissons en tant que sous-traitant, avec un accord que chaque client peut signer.',
    },
  },
  {
    name: 'HIPAA',
    status: 'in_progress',
    description: {
      en: 'Controls for health data are in place; the external assessment is scheduled.',
      es: 'Los controles para datos de salud están implantados; la evaluación externa está programada.',
      fr: 'Les mesures pour les données de santé sont en place ; l’évaluation externe est planifiée.',
    },
  },
  {
    name: 'CCPA',
    status: 'planned',
    description: { en: 'We are reviewing our processes for California consumers.' },
  },
];

const FAQS: Json[] = [
  {
    question: {
      en: 'Where is my data stored?',
      es: '¿Dónde se almacenan mis datos?',
      fr: 'Où sont stockées mes données ?',
    },
    answer: {
      en: 'In two data centres in the EU (Ireland and Germany). Backups stay in the EU as well.',
      es: 'En dos centros de datos de la UE (Irlanda y Alemania). Las copias de seguridad también se quedan en la UE.',
      fr: 'Dans deux centres de données de l’UE (Irlande et Allemagne). Les sauvegardes restent elles aussi dans l’UE.',
    },
  },
  {
    question: {
      en: 'Do you encrypt data at rest?',
      es: '¿Ciframos los datos en reposo?',
      fr: 'Chiffrez-vous les données au repos ?',
    },
    answer: {
      en: 'Yes: databases, backups and file storage are encrypted with AES-256, with keys held in a managed key service.',
      es: 'Sí: bases de datos, copias y archivos se cifran con AES-256, con claves custodiadas en un servicio gestionado.',
      fr: 'Oui : bases de données, sauvegardes et fichiers sont chiffrés en AES-256, avec des clés gardées dans un service dédié.',
    },
  },
  {
    question: {
      en: 'How do I report a vulnerability?',
      es: '¿Cómo informo de una vulnerabilidad?',
      fr: 'Comment signaler une vulnérabilité ?',
    },
    answer: {
      en: 'Write to our security contact below. We answer within two working days and never take legal action against good-faith research.',
      es: 'Escriba a nuestro contacto de seguridad. Respondemos en dos días hábiles y nunca emprendemos acciones legales contra investigaciones de buena fe.',
      fr: 'Écrivez à notre contact sécurité ci-dessous. Nous répondons sous deux jours ouvrés et n’engageons jamais de poursuites contre une recherche de bonne foi.',
    },
  },
  {
    question: {
      en: 'Can I get your SOC 2 report?',
      es: '¿Puedo obtener su informe SOC 2?',
      fr: 'Puis-je obtenir votre rapport SOC 2 ?',
    },
    answer: {
      en: 'Yes: request it from the documents list. We share it once you have accepted our NDA.',
      es: 'Sí: solicítelo en la lista de documentos. Lo compartimos cuando haya aceptado nuestro acuerdo de confidencialidad.',
      fr: 'Oui : demandez-le depuis la liste des documents. Nous le partageons une fois notre accord de confidentialité accepté.',
    },
  },
];

const SUBPROCESSORS: Json[] = [
  [
    'Amazon Web Services',
    'Hosting and storage',
    'Alojamiento y almacenamiento',
    'Hébergement et stockage',
    'EU (Ireland)',
  ],
  [
    'Hetzner Online',
    'Backup storage',
    'Almacenamiento de copias',
    'Stockage des sauvegardes',
    'EU (Germany)',
  ],
  ['Postmark', 'Transactional e-mail', 'Correo transaccional', 'E-mails transactionnels', 'United States'],
  ['Stripe', 'Billing and payments', 'Facturación y pagos', 'Facturation et paiements', 'United States'],
  ['Sentry', 'Error monitoring', 'Supervisión de errores', 'Suivi des erreurs', 'EU (Germany)'],
].map(([name, en, es, fr, location], index) => ({
  name,
  purpose: { en, es, fr },
  location,
  website: `https://www.${(name ?? '').toLowerCase().replaceAll(' ', '-')}.example`,
  effectiveOn: day(-900 + index * 120),
}));

const UPDATES: Json[] = [
  {
    slug: 'annual-penetration-test',
    publishedOn: day(-30),
    title: {
      en: 'Annual penetration test completed',
      es: 'Prueba de penetración anual completada',
      fr: 'Test d’intrusion annuel terminé',
    },
    body: {
      en: 'An external firm tested our application and infrastructure. All findings rated high were fixed within a week.',
      es: 'Una empresa externa probó nuestra aplicación e infraestructura. Todos los hallazgos de gravedad alta se corrigieron en una semana.',
      fr: 'Un cabinet externe a testé notre application et notre infrastructure. Toutes les failles de gravité élevée ont été corrigées en une semaine.',
    },
  },
  {
    slug: 'new-backup-subprocessor',
    publishedOn: day(-90),
    title: {
      en: 'New backup provider',
      es: 'Nuevo proveedor de copias',
      fr: 'Nouveau prestataire de sauvegarde',
    },
    body: {
      en: 'Backups now also go to a second EU provider, so a single provider outage cannot reach them all.',
      es: 'Las copias van ahora también a un segundo proveedor de la UE.',
      fr: 'Les sauvegardes partent désormais aussi chez un second prestataire de l’UE.',
    },
  },
];

type SeedDocument = { body: Json; files: { name: string; locale?: 'en' | 'es' | 'fr'; pages: number }[] };

const DOCUMENTS: SeedDocument[] = [
  {
    body: {
      slug: 'dpa',
      accessLevel: 'public',
      title: {
        en: 'Data processing agreement',
        es: 'Acuerdo de tratamiento de datos',
        fr: 'Accord de traitement des données',
      },
      description: {
        en: 'Our standard DPA, with the EU standard contractual clauses.',
        es: 'Nuestro acuerdo estándar, con las cláusulas contractuales tipo de la UE.',
        fr: 'Notre accord type, avec les clauses contractuelles types de l’UE.',
      },
    },
    files: [
      { name: 'northwind-dpa.pdf', pages: 12 },
      { name: 'northwind-dpa-fr.pdf', locale: 'fr', pages: 13 },
    ],
  },
  {
    body: {
      slug: 'iso-27001-certificate',
      accessLevel: 'public',
      validUntil: day(675),
      title: { en: 'ISO 27001 certificate', es: 'Certificado ISO 27001', fr: 'Certificat ISO 27001' },
    },
    files: [{ name: 'iso-27001-certificate.pdf', pages: 1 }],
  },
  {
    body: {
      slug: 'soc-2-type-ii-report',
      accessLevel: 'nda',
      validFrom: day(-150),
      validUntil: day(215),
      title: { en: 'SOC 2 Type II report', es: 'Informe SOC 2 Tipo II', fr: 'Rapport SOC 2 Type II' },
      description: {
        en: 'The auditor’s full report, shared under NDA.',
        es: 'El informe completo del auditor, bajo acuerdo de confidencialidad.',
        fr: 'Le rapport complet de l’auditeur, sous accord de confidentialité.',
      },
    },
    files: [{ name: 'soc-2-type-ii.pdf', pages: 40 }],
  },
  {
    body: {
      slug: 'penetration-test-summary',
      accessLevel: 'request',
      title: {
        en: 'Penetration test summary',
        es: 'Resumen de la prueba de penetración',
        fr: 'Synthèse du test d’intrusion',
      },
    },
    files: [{ name: 'pentest-summary.pdf', pages: 6 }],
  },
];

async function pdf(title: string, pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i += 1) {
    doc.addPage([595, 842]).drawText(`${title} — page ${i} of ${pages}`, { x: 56, y: 780, size: 14, font });
  }
  return doc.save();
}

/** Seeds the draft through the admin API and publishes it. Returns, per public path, what it must show. */
export async function seedTrustCenter(
  baseUrl: string,
  token: string,
): Promise<{ mustShow: Record<string, string[]> }> {
  const api = async (method: string, path: string, body?: Json | FormData): Promise<Json> => {
    const response = await fetch(`${baseUrl}/api/v1/trust${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
      },
      body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /api/v1/trust${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as Json) : {};
  };

  await api('PATCH', '/profile', PROFILE);
  for (const certification of CERTIFICATIONS) await api('POST', '/certifications', certification);
  // The default sections (overview texts and the ten control families) exist since the first read.
  const { items: sections } = (await api('GET', '/sections')) as {
    items: { id: string; kind: string; title: Json }[];
  };
  const families = sections.filter((s) => s.kind === 'control_family');
  for (const [index, family] of families.entries()) {
    const status = index === families.length - 1 ? 'in_progress' : 'implemented';
    await api('PATCH', `/sections/${family.id}`, { status, lastVerifiedOn: day(-7 - index) });
  }
  for (const faq of FAQS) await api('POST', '/faqs', faq);
  for (const subprocessor of SUBPROCESSORS) await api('POST', '/subprocessors', subprocessor);
  for (const update of UPDATES) await api('POST', '/updates', update);
  for (const document of DOCUMENTS) {
    const created = await api('POST', '/documents', document.body);
    for (const file of document.files) {
      const form = new FormData();
      if (file.locale) form.append('locale', file.locale);
      const bytes = await pdf(file.name, file.pages);
      form.append('file', new Blob([Buffer.from(bytes)], { type: 'application/pdf' }), file.name);
      await api('POST', `/documents/${String(created.id)}/files`, form);
    }
  }
  await api('POST', '/publish');

  const english = (value: unknown) => (value as { en: string }).en;
  return {
    mustShow: {
      '/en/': [
        PROFILE.companyName,
        ...CERTIFICATIONS.map((c) => String(c.name)),
        ...families.map((f) => english(f.title)),
        ...FAQS.map((f) => english(f.question)),
        ...DOCUMENTS.map((d) => english(d.body.title)),
        PROFILE.securityContact,
      ],
      // The home page counts the subprocessors and links to their page.
      '/en/subprocessors': SUBPROCESSORS.map((s) => String(s.name)),
    },
  };
}
