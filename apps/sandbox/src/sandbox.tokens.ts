/** Injection token for the validated sandbox configuration (see `loadSandboxConfig`). */
export const SANDBOX_CONFIG = Symbol('SANDBOX_CONFIG');
