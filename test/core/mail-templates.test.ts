import '../../src/disclosure/register.ts';
import '../../src/trust/register.ts';
import { describe, expect, it } from 'vitest';
import { locales } from '../../src/core/i18n/index.ts';
import {
  type MailTemplate,
  type MailTemplateVars,
  type MfaChange,
  renderMail,
} from '../../src/core/mail/index.ts';

const when = new Date('2025-03-05T14:30:00Z');

const samples: { [T in MailTemplate]: MailTemplateVars[T] } = {
  invitation: {
    organizationName: 'Acme',
    inviterName: 'Ana',
    role: 'auditor',
    link: 'https://attest.example.test/invite?t=1',
    expiresAt: when,
  },
  'password-reset': {
    organizationName: 'Acme',
    link: 'https://attest.example.test/reset?t=1',
    expiresAt: when,
  },
  'password-changed': { organizationName: 'Acme', time: when },
  'mfa-changed': { organizationName: 'Acme', change: 'enabled', time: when },
  'account-locked': { organizationName: 'Acme', until: when },
  'trust-access-confirm': {
    organizationName: 'Acme',
    documentTitle: 'SOC 2',
    link: 'https://attest.example.test/es/access/confirm/t',
    expiresAt: when,
  },
  'trust-access-pending': {
    organizationName: 'Acme',
    visitorName: 'Zoë',
    visitorEmail: 'zoe@example.test',
    company: 'Globex',
    documentTitle: 'SOC 2',
    reason: 'Vendor review',
    link: 'https://attest.example.test/app/trust/requests',
  },
  'trust-access-approved': {
    organizationName: 'Acme',
    link: 'https://attest.example.test/en/access/login/t',
    expiresAt: when,
    grantExpiresAt: when,
  },
  'trust-access-denied': { organizationName: 'Acme' },
  'trust-magic-link': {
    organizationName: 'Acme',
    link: 'https://attest.example.test/en/access/login/t',
    expiresAt: when,
  },
  'trust-nda-signed': {
    organizationName: 'Acme',
    signerName: 'Zoë',
    signerEmail: 'zoe@example.test',
    company: 'Globex',
    ndaTitle: 'Mutual NDA',
    ndaVersion: 2,
    acceptedAt: when,
  },
  'trust-subscription-confirm': {
    organizationName: 'Acme',
    link: 'https://attest.example.test/en/subscriptions/confirm/t',
  },
  'trust-subscription-notice': {
    organizationName: 'Acme',
    changes: [{ kind: 'subprocessor-added', name: 'Initech', effectiveOn: when }],
    link: 'https://attest.example.test/en/subprocessors',
    unsubscribeLink: 'https://attest.example.test/en/subscriptions/unsubscribe/t',
  },
  'disclosure-researcher-receipt': {
    organizationName: 'Acme',
    reportNumber: 12,
    title: 'Stored XSS in <profile>',
    responseDueBy: when,
    timeZone: 'Europe/Paris',
    link: 'https://attest.example.test/fr/security/follow/t',
  },
  'disclosure-researcher-message': {
    organizationName: 'Acme',
    reportNumber: 12,
    message: 'Could you send the request you used?',
    link: 'https://attest.example.test/fr/security/portal/t',
  },
  'disclosure-researcher-first-response': {
    organizationName: 'Acme',
    reportNumber: 12,
    assessment: 'Confirmed, high severity.',
    expectedResolutionOn: '2025-03-20',
    link: 'https://attest.example.test/fr/security/portal/t',
  },
  'disclosure-researcher-status': {
    organizationName: 'Acme',
    reportNumber: 12,
    status: 'resolved',
    link: 'https://attest.example.test/fr/security/portal/t',
  },
  'disclosure-researcher-portal-link': {
    organizationName: 'Acme',
    link: 'https://attest.example.test/es/security/portal/t',
    expiresAt: when,
  },
  'disclosure-team-activity': {
    organizationName: 'Acme',
    reportNumber: 12,
    activity: 'new-report',
    channel: 'email',
    outOfScope: true,
    responseDueBy: when,
    link: 'https://attest.example.test/app/disclosure/reports/1',
  },
  'disclosure-team-sla': {
    organizationName: 'Acme',
    reportNumber: 12,
    kind: 'breached',
    dueAt: when,
    timeZone: 'Europe/Paris',
    link: 'https://attest.example.test/app/disclosure/reports/1',
  },
  'disclosure-program-expiry-warning': {
    organizationName: 'Acme',
    item: 'pgp-key',
    expiresAt: when,
    fingerprint: 'E4EFF1FC9D1B0F7799D41D4C7F7D5946A87A1D9F',
    link: 'https://attest.example.test/app/disclosure/program',
  },
};

const templates = Object.keys(samples) as MailTemplate[];
const render = (template: MailTemplate, locale: (typeof locales)[number], vars = samples[template]) =>
  // The map type pairs each template with its vars; TS can't see that through the loop variable.
  renderMail(template, locale, vars as never);

function expectNoArtefacts(output: { subject: string; text: string; html: string }) {
  for (const value of Object.values(output)) {
    expect(value).not.toMatch(/\bmail:|\bcommon:/);
    expect(value).not.toContain('{{');
    expect(value).not.toContain('}}');
    expect(value).not.toContain('undefined');
    expect(value).not.toContain('[object');
  }
}

describe('renderMail', () => {
  const cases = templates.flatMap((template) => locales.map((locale) => [template, locale] as const));

  it.each(cases)('%s renders completely in %s', (template, locale) => {
    const output = render(template, locale);
    expectNoArtefacts(output);
    expect(output.subject).toContain('Acme');
    expect(output.subject).not.toMatch(/\n/);
    expect(output.text).toContain('Acme');
    expect(output.html).toMatch(new RegExp(`^<!DOCTYPE html>\\n<html lang="${locale}"`));
    expect(output.html).toContain('<title>');
    expect(output.html).toContain('</html>');
  });

  it.each(locales)('mfa-changed describes every change in %s', (locale) => {
    const changes: MfaChange[] = [
      'enabled',
      'reset',
      'recovery-codes-regenerated',
      'passkey-added',
      'passkey-removed',
    ];
    const texts = changes.map((change) => {
      const output = renderMail('mfa-changed', locale, { organizationName: 'Acme', change, time: when });
      expectNoArtefacts(output);
      return output.text;
    });
    expect(new Set(texts).size).toBe(changes.length);
  });

  it('formats dates in the recipient locale, in UTC', () => {
    expect(render('account-locked', 'en').text).toMatch(/until March 5, 2025 at 2:30\sPM UTC\./);
    expect(render('account-locked', 'es').text).toContain('hasta el 5 de marzo de 2025');
    expect(render('password-changed', 'fr').text).toContain('le 5 mars 2025');
  });

  it('includes the link in text and HTML, with a natural English text', () => {
    const output = render('invitation', 'en');
    expect(output.subject).toBe('Ana invited you to join Acme');
    expect(output.text).toContain('Accept invitation:\nhttps://attest.example.test/invite?t=1\n');
    expect(output.text).toContain(
      'Ana has invited you to join Acme with the role Auditor: Read-only access to controls, evidence and the audit log.',
    );
    expect(output.html).toContain('href="https://attest.example.test/invite?t=1"');
  });

  it('names the role in the reader’s language, never by its key, and does not repeat the product name', () => {
    const expected = {
      en: 'Ana has invited you to join Attest with the role Security: Handles vulnerability reports',
      es: 'Ana te ha invitado a unirte a Attest con el rol «Seguridad»: Atiende los informes',
      fr: 'Ana vous invite à rejoindre Attest avec le rôle «\u00a0Sécurité\u00a0»\u00a0: Traite les signalements',
    };
    for (const locale of locales) {
      const output = renderMail('invitation', locale, {
        organizationName: 'Attest',
        inviterName: 'Ana',
        role: 'security',
        link: 'https://attest.example.test/invite?t=1',
        expiresAt: when,
      });
      expect(output.text).toContain(expected[locale]);
      expect(output.text).not.toMatch(/\bsecurity\b/);
      expect(output.text).not.toMatch(/Attest (on|en|sur) Attest/);
    }
  });

  it('escapes every interpolated value in HTML exactly once and leaves text unescaped', () => {
    const hostile = '<script>alert("x")</script> & Co\'s';
    const output = renderMail('invitation', 'en', {
      organizationName: hostile,
      inviterName: '<b>Eve</b>',
      role: 'admin',
      link: 'https://attest.example.test/invite?a=1&b=<2>',
      expiresAt: when,
    });
    expect(output.html).not.toContain('<script>');
    expect(output.html).not.toContain('<b>');
    expect(output.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#39;s');
    expect(output.html).toContain('&lt;b&gt;Eve&lt;/b&gt;');
    expect(output.html).toContain('href="https://attest.example.test/invite?a=1&amp;b=&lt;2&gt;"');
    expect(output.html).not.toContain('&amp;amp;');
    expect(output.html).not.toContain('&amp;lt;');

    expect(output.subject).toBe(`<b>Eve</b> invited you to join ${hostile}`);
    expect(output.text).toContain(`join ${hostile} with the role Administrator:`);
    expect(output.text).not.toContain('&lt;');
    expect(output.text).not.toContain('&amp;');
  });

  it('keeps the subject on one line whatever the names contain', () => {
    const output = renderMail('password-changed', 'en', {
      organizationName: 'Acme\r\nBcc: x@evil.test',
      time: when,
    });
    expect(output.subject).toBe('Your Acme Bcc: x@evil.test password was changed');
  });

  it('refuses links that are not absolute http(s) URLs', () => {
    for (const link of ['javascript:alert(1)', '/relative/path', 'data:text/html,hi']) {
      expect(() =>
        renderMail('password-reset', 'en', { organizationName: 'Acme', link, expiresAt: when }),
      ).toThrow(TypeError);
    }
  });
});
