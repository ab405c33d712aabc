/**
 * A failure the CLI explains in one line, without a stack trace. Exit code 2 means bad usage or
 * configuration (fix the command line or the environment), 1 means the command could not do its job.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}
