import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { closeContext, createContext } from './core/bootstrap.ts';
import type { Config } from './core/config/config.ts';
import { keepRunningOnUnhandledRejection } from './core/process-guard.ts';
import { type MailIntake, startMailIntake } from './disclosure/channels/mail/mail-intake.ts';
import { issueSetupLink } from './identity/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `npm start` builds the admin app on first run, so two commands are enough on a fresh clone. */
async function ensureWebBuild(): Promise<void> {
  if (existsSync(path.join(root, 'web/dist/index.html'))) return;
  // Silence here would look like a hang: say what is happening, roughly how long, and when it is done.
  console.log('First start: building the admin app into web/dist (about a minute; later starts skip this)…');
  const started = Date.now();
  try {
    const { build } = await import('vite');
    await build({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn' });
    console.log(`Admin app built in ${Math.round((Date.now() - started) / 1000)} s.`);
  } catch (error) {
    // The API and health check still work; /app explains how to build.
    console.error(`The admin app could not be built: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Starts Attest: migrate, build the app if needed, listen, print the setup link while there is no owner. */
export async function serve(config: Config): Promise<void> {
  // Before the workers start (in createContext), so nothing they do can end the process.
  let logError = (message: string) => console.error(message);
  keepRunningOnUnhandledRejection((message) => logError(message));
  await ensureWebBuild();
  const ctx = await createContext(config, { workers: true });
  const app = await buildApp(ctx);
  logError = (message) => app.log.error(message);
  // Warnings from outside a request (dropped mail) go to the server's log from now on.
  ctx.warn = (message) => app.log.warn(message);
  let closing = false;
  let mailIntake: MailIntake | undefined;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // Stop taking mail first: a message accepted after the database closes could not be stored.
    await mailIntake?.close();
    await app.close();
    await closeContext(ctx);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  mailIntake = await startMailIntake(ctx, {
    info: (message) => app.log.info(message),
    warn: (message) => app.log.warn(message),
    error: (message) => app.log.error(message),
  });
  const link = await issueSetupLink(ctx);
  console.log(
    startupMessage({
      version: config.version,
      publicUrl: config.publicUrl,
      driver: ctx.database.driver,
      mail: ctx.mailer.mode,
      setupLink: link,
    }),
  );
}

/**
 * What the console says once Attest listens: where it runs, then (while there is no owner) the setup
 * link in a box, last, so it is the one thing on screen until someone opens the app; request lines that
 * follow are one short line each (core/http/logging.ts), so it does not scroll away.
 */
export function startupMessage(facts: {
  version: string;
  publicUrl: string;
  driver: string;
  mail: string;
  setupLink?: string;
}): string {
  const running = `Attest ${facts.version} is running on ${facts.publicUrl} (${facts.driver}, mail: ${facts.mail})`;
  if (!facts.setupLink) return running;
  const lines = [
    'Attest has no owner yet. Open this one-time link to create',
    'the owner account (valid 24 h; `attest setup-link` makes a new one):',
    '',
    facts.setupLink,
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const box = [
    `┌${'─'.repeat(width + 2)}┐`,
    ...lines.map((line) => `│ ${line.padEnd(width)} │`),
    `└${'─'.repeat(width + 2)}┘`,
  ];
  return `${running}\n\n${box.join('\n')}\n`;
}
