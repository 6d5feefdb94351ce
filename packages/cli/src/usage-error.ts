import { MatryoshkaError } from '@matryoshka/core/lite';

export interface UsageDetails {
  /** A second line telling the user what to do, e.g. which --help to read. */
  hint?: string;
}

/**
 * A mistake in the command line. It is an INVALID_REQUEST like a bad request field, so it exits 2
 * through the same path; the CLI keeps no error class of its own.
 */
export function usageError(message: string, hint?: string): MatryoshkaError {
  return new MatryoshkaError('INVALID_REQUEST', message, hint === undefined ? {} : { details: { hint } });
}

export function hintOf(error: MatryoshkaError): string | undefined {
  const details = error.details as UsageDetails | undefined;
  return typeof details?.hint === 'string' ? details.hint : undefined;
}
