import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type SignedIn } from '../../fixtures/identity.ts';
import { auditEntries, buildTestApp, type TestApp } from '../../helpers/app.ts';

const API = '/api/v1/trust';

describe('trust content API', () => {
  let t: TestApp;
  let admin: SignedIn;
  let compliance: SignedIn;
  let auditor: SignedIn;
  let employee: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, t.ctx, 'admin');
    compliance = await loginAs(t.app, t.ctx, 'compliance');
    auditor = await loginAs(t.app, t.ctx, 'auditor');
    employee = await loginAs(t.app, t.ctx, 'employee');
  });
  afterAll(() => t?.close());

  const call = (
    who: SignedIn | undefined,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) => t.app.inject({ method, url: `${API}${url}`, headers: who?.headers ?? {}, payload });

  describe('permissions', () => {
    it('lets an auditor read the draft but not change it', async () => {
      expect((await call(auditor, 'GET', '/certifications')).statusCode).toBe(200);
      const res = await call(auditor, 'POST', '/certifications', {
        name: 'SOC 2 Type II',
        status: 'planned',
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('forbidden');
    });

    it('refuses an employee even reading the draft', async () => {
      const res = await call(employee, 'GET', '/profile');
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('asks an anonymous caller to sign in', async () => {
      expect((await call(undefined, 'GET', '/sections')).statusCode).toBe(401);
      expect((await call(undefined, 'POST', '/publish')).statusCode).toBe(401);
    });

    it('lets a compliance lead manage content', async () => {
      const res = await call(compliance, 'POST', '/faqs', {
        question: { en: 'Do you encrypt backups?' },
        answer: { en: 'Yes, with AES-256.' },
      });
      expect(res.statusCode).toBe(201);
    });
  });

  describe('default content of a fresh install', () => {
    it('seeds the three overview texts and ten control families in en, es and fr', async () => {
      const res = await call(admin, 'GET', '/sections');
      expect(res.statusCode).toBe(200);
      const sections = res.json().items as {
        kind: string;
        familyKey: string | null;
        title: Record<string, string>;
        body: Record<string, string>;
      }[];
      expect(sections.slice(0, 3).map((s) => s.kind)).toEqual([
        'narrative',
        'how_compliant',
        'out_of_compliance',
      ]);
      expect(sections.filter((s) => s.kind === 'control_family').map((s) => s.familyKey)).toEqual([
        'policies',
        'vulnerability_testing',
        'encryption',
        'mfa',
        'secure_development',
        'monitoring',
        'training',
        'access_control',
        'third_party_audits',
        'intrusion_detection',
      ]);
      for (const section of sections) {
        for (const locale of ['en', 'es', 'fr']) {
          expect(
            section.title[locale]?.length,
            `${section.familyKey ?? section.kind} title ${locale}`,
          ).toBeGreaterThan(3);
          expect(
            section.body[locale]?.length,
            `${section.familyKey ?? section.kind} body ${locale}`,
          ).toBeGreaterThan(40);
        }
      }
    });

    it('names the profile after the organization and takes its default locale', async () => {
      const res = await call(admin, 'GET', '/profile');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ companyName: 'Attest', defaultLocale: 'en', logoDataUrl: null });
    });
  });

  describe('certifications', () => {
    it('creates, updates and deletes a certification, auditing each step', async () => {
      const created = await call(admin, 'POST', '/certifications', {
        name: 'ISO 27001',
        status: 'compliant',
        auditor: 'Example Certification Body',
        obtainedOn: '2024-03-01',
        validUntil: '2027-02-28',
        description: { en: 'Information security management', es: '' },
      });
      expect(created.statusCode).toBe(201);
      const cert = created.json();
      // An empty translation means "not written": it is dropped so the site falls back.
      expect(cert.description).toEqual({ en: 'Information security management' });

      const updated = await call(admin, 'PATCH', `/certifications/${cert.id}`, { status: 'in_progress' });
      expect(updated.statusCode).toBe(200);
      expect(updated.json()).toMatchObject({
        id: cert.id,
        status: 'in_progress',
        auditor: 'Example Certification Body',
      });

      expect((await call(admin, 'DELETE', `/certifications/${cert.id}`)).statusCode).toBe(204);
      const list = (await call(admin, 'GET', '/certifications')).json().items as { id: string }[];
      expect(list.map((c) => c.id)).not.toContain(cert.id);

      for (const action of [
        'trust.certification.created',
        'trust.certification.updated',
        'trust.certification.deleted',
      ]) {
        const rows = (await auditEntries(t.ctx, action)).filter((r) => r.targetId === cert.id);
        expect(rows, action).toHaveLength(1);
        expect(rows[0]?.actorId).toBe(admin.made.user.id);
      }
      const [updatedRow] = (await auditEntries(t.ctx, 'trust.certification.updated')).filter(
        (r) => r.targetId === cert.id,
      );
      expect(updatedRow?.details).toMatchObject({ label: 'ISO 27001', changed: ['status'] });
    });

    it('refuses an unknown status with 422 and a pointer to the field', async () => {
      const res = await call(admin, 'POST', '/certifications', { name: 'HIPAA', status: 'certified' });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors[0].pointer).toBe('/status');
    });

    it('refuses a valid-until date before the date obtained', async () => {
      const res = await call(admin, 'POST', '/certifications', {
        name: 'SOC 2 Type II',
        status: 'compliant',
        obtainedOn: '2025-06-01',
        validUntil: '2025-01-01',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toContain('validUntil');
    });

    it('refuses a date that is not YYYY-MM-DD', async () => {
      const res = await call(admin, 'POST', '/certifications', {
        name: 'GDPR',
        status: 'compliant',
        obtainedOn: '01/02/2025',
      });
      expect(res.statusCode).toBe(422);
    });

    it('answers 404 for a certification that does not exist', async () => {
      const res = await call(admin, 'PATCH', '/certifications/00000000-0000-4000-8000-000000000000', {
        status: 'planned',
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not-found');
    });

    it('refuses an empty change', async () => {
      const created = (
        await call(admin, 'POST', '/certifications', { name: 'CCPA', status: 'compliant' })
      ).json();
      expect((await call(admin, 'PATCH', `/certifications/${created.id}`, {})).statusCode).toBe(422);
    });
  });

  describe('sections and FAQ order', () => {
    it('reorders the overview sections and audits the new order', async () => {
      const before = (await call(admin, 'GET', '/sections')).json().items as { id: string }[];
      const reversed = before.map((s) => s.id).reverse();
      const res = await call(admin, 'PUT', '/sections/order', { ids: reversed });
      expect(res.statusCode).toBe(200);
      expect((res.json().items as { id: string }[]).map((s) => s.id)).toEqual(reversed);
      const again = (await call(admin, 'GET', '/sections')).json().items as {
        id: string;
        position: number;
      }[];
      expect(again.map((s) => s.id)).toEqual(reversed);
      const [audit] = (await auditEntries(t.ctx, 'trust.section.reordered')).slice(-1);
      expect(audit?.details.ids).toEqual(reversed);
      await call(admin, 'PUT', '/sections/order', { ids: before.map((s) => s.id) });
    });

    it('refuses an order that leaves an item out', async () => {
      const items = (await call(admin, 'GET', '/sections')).json().items as { id: string }[];
      const res = await call(admin, 'PUT', '/sections/order', { ids: items.slice(1).map((s) => s.id) });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors[0].pointer).toBe('/ids');
    });

    it('adds a control family with a status and a last-verified date at the end', async () => {
      const res = await call(admin, 'POST', '/sections', {
        kind: 'control_family',
        familyKey: 'backups',
        title: { en: 'Backups', fr: 'Sauvegardes' },
        body: { en: 'Daily, encrypted, tested quarterly.' },
        status: 'implemented',
        lastVerifiedOn: '2025-05-02',
      });
      expect(res.statusCode).toBe(201);
      const items = (await call(admin, 'GET', '/sections')).json().items as { id: string }[];
      expect(items.at(-1)?.id).toBe(res.json().id);
      expect(
        (await auditEntries(t.ctx, 'trust.section.created')).some((r) => r.targetId === res.json().id),
      ).toBe(true);
    });

    it('refuses a section whose title is written in no language', async () => {
      const res = await call(admin, 'POST', '/sections', { kind: 'narrative', title: { en: '  ' } });
      expect(res.statusCode).toBe(422);
    });

    it('refuses an unknown section kind', async () => {
      const res = await call(admin, 'POST', '/sections', { kind: 'marketing', title: { en: 'Hello' } });
      expect(res.statusCode).toBe(422);
    });

    it('refuses a FAQ answer in an unsupported language', async () => {
      const res = await call(admin, 'POST', '/faqs', { question: { en: 'Q?' }, answer: { de: 'Ja' } });
      expect(res.statusCode).toBe(422);
    });

    it('deletes a FAQ entry and audits it', async () => {
      const faq = (
        await call(admin, 'POST', '/faqs', { question: { en: 'Pentests?' }, answer: { en: 'Yearly.' } })
      ).json();
      expect((await call(admin, 'DELETE', `/faqs/${faq.id}`)).statusCode).toBe(204);
      expect((await call(admin, 'DELETE', `/faqs/${faq.id}`)).statusCode).toBe(404);
      const rows = (await auditEntries(t.ctx, 'trust.faq.deleted')).filter((r) => r.targetId === faq.id);
      expect(rows).toHaveLength(1);
    });
  });

  describe('subprocessors and updates', () => {
    it('creates a subprocessor with purpose per locale, location and effective date', async () => {
      const res = await call(admin, 'POST', '/subprocessors', {
        name: 'Example Cloud',
        purpose: { en: 'Hosting', es: 'Alojamiento' },
        location: 'EU (Ireland)',
        website: 'https://cloud.example',
        effectiveOn: '2025-01-15',
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        location: { en: 'EU (Ireland)', es: 'EU (Ireland)', fr: 'EU (Ireland)' },
        effectiveOn: '2025-01-15',
        removedOn: null,
      });
      expect(
        (await auditEntries(t.ctx, 'trust.subprocessor.created')).some((r) => r.targetId === res.json().id),
      ).toBe(true);
    });

    it('refuses a subprocessor website that is not an http(s) URL', async () => {
      const res = await call(admin, 'POST', '/subprocessors', {
        name: 'Bad',
        purpose: { en: 'x' },
        location: 'US',
        website: 'javascript:alert(1)',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors[0].pointer).toBe('/website');
    });

    it('refuses a second update with the same slug', async () => {
      const body = {
        slug: 'tls-rotation',
        title: { en: 'TLS keys rotated' },
        body: { en: 'Routine.' },
        publishedOn: '2025-04-01',
      };
      expect((await call(admin, 'POST', '/updates', body)).statusCode).toBe(201);
      const again = await call(admin, 'POST', '/updates', body);
      expect(again.statusCode).toBe(422);
      expect(again.json().errors[0].pointer).toBe('/slug');
    });

    it("keeps an update's own slug when it is edited", async () => {
      const made = (
        await call(admin, 'POST', '/updates', {
          slug: 'edit-me',
          title: { en: 'A' },
          body: { en: 'B' },
          publishedOn: '2025-04-02',
        })
      ).json();
      const res = await call(admin, 'PATCH', `/updates/${made.id}`, { slug: 'edit-me', title: { en: 'A2' } });
      expect(res.statusCode).toBe(200);
      expect(res.json().title).toEqual({ en: 'A2' });
      expect((await auditEntries(t.ctx, 'trust.update.updated')).some((r) => r.targetId === made.id)).toBe(
        true,
      );
    });

    it('refuses a malformed slug', async () => {
      const res = await call(admin, 'POST', '/updates', {
        slug: 'Bad Slug!',
        title: { en: 'x' },
        body: { en: 'y' },
        publishedOn: '2025-04-01',
      });
      expect(res.statusCode).toBe(422);
    });
  });

  describe('profile', () => {
    const PNG_1PX =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

    it('updates the company name, summary, contact and logo, and audits it without the image', async () => {
      const res = await call(admin, 'PATCH', '/profile', {
        companyName: 'Example Corp',
        summary: { en: 'We build safe things.', es: 'Construimos cosas seguras.' },
        securityContact: 'security@example.com',
        logo: `data:image/png;base64,${PNG_1PX}`,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        companyName: 'Example Corp',
        securityContact: 'security@example.com',
        logoDataUrl: `data:image/png;base64,${PNG_1PX}`,
      });
      const [row] = (await auditEntries(t.ctx, 'trust.profile.updated')).slice(-1);
      expect(row?.details).toEqual({ changed: ['companyName', 'logo', 'securityContact', 'summary'] });
    });

    it('refuses a logo whose bytes are not an image', async () => {
      const fake = Buffer.from('%PDF-1.7 not an image').toString('base64');
      const res = await call(admin, 'PATCH', '/profile', { logo: `data:image/png;base64,${fake}` });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors[0]).toMatchObject({ pointer: '/logo' });
    });

    it('refuses a logo larger than 256 KiB', async () => {
      const png = Buffer.from(PNG_1PX, 'base64');
      const big = Buffer.concat([png, Buffer.alloc(256 * 1024)]).toString('base64');
      const res = await call(admin, 'PATCH', '/profile', { logo: big });
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toContain('larger than');
    });

    it('refuses an SVG logo that carries a script', async () => {
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      ).toString('base64');
      const res = await call(admin, 'PATCH', '/profile', { logo: svg });
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toContain('script');
    });

    it('refuses a security contact that is neither an e-mail address nor an https URL', async () => {
      const res = await call(admin, 'PATCH', '/profile', { securityContact: 'http://insecure.example' });
      expect(res.statusCode).toBe(422);
    });

    it('removes the logo when given null', async () => {
      await call(admin, 'PATCH', '/profile', { logo: PNG_1PX });
      const res = await call(admin, 'PATCH', '/profile', { logo: null });
      expect(res.json().logoDataUrl).toBeNull();
    });
  });

  describe('preview as visitor', () => {
    it('renders the unpublished draft home page in the chosen locale, not indexed and not cached', async () => {
      await call(admin, 'POST', '/certifications', { name: 'Draft-only certification', status: 'planned' });
      const res = await call(auditor, 'GET', '/preview/fr');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('<html lang="fr"');
      expect(res.body).toContain('<meta name="robots" content="noindex, nofollow">');
      expect(res.body).toContain('Draft-only certification');
      expect(res.body).toContain('Aperçu du brouillon');
      // The public site still shows no publication.
      const live = await t.app.inject({ url: '/fr/' });
      expect(live.body).not.toContain('Draft-only certification');
    });

    it('refuses a locale Attest does not ship', async () => {
      expect((await call(admin, 'GET', '/preview/de')).statusCode).toBe(422);
    });
  });
});
