// What a revocation request achieved, as journaled.

/** `revoked`: the provider accepted the revocation; `already-invalid`: it no longer accepts the token at all. */
export type RevokeOutcome = 'revoked' | 'already-invalid';
