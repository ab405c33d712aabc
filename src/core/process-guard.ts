import { jobFailure } from './jobs/failure.ts';

/**
 * A promise rejection nobody handled would end Node's process (the default since Node 15): one stray
 * rejection in a library callback would take every request, mail and job down with it, and a queued
 * cause would do it again at every start. The server logs it instead and keeps serving. Only the
 * error's name, message and code are logged: a query error's full text can hold its parameters.
 */
export function keepRunningOnUnhandledRejection(log: (message: string) => void): () => void {
  const onRejection = (reason: unknown) => {
    const failure = jobFailure(reason);
    log(`unhandled promise rejection (the server keeps running): ${failure.name}: ${failure.message}`);
  };
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
