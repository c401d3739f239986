/** A failure with the API's stable code (`UNAUTHENTICATED`, `RATE_LIMITED`, …) or `NETWORK`. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The request never reached the server (offline, DNS, connection dropped). */
  get offline(): boolean {
    return this.code === 'NETWORK';
  }
}
