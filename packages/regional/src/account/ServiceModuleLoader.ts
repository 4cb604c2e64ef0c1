/**
 * Imports a package by name; the default is the runtime's `import()`. A seam for tests and for
 * bundlers that need a static map of service packages.
 *
 * @example
 * ```ts
 * const loadServiceModule: ServiceModuleLoader = async (name) =>
 *   name === '@aws-sdk/client-sts' ? import('@aws-sdk/client-sts') : Promise.reject(new Error(`Cannot find package '${name}'`));
 * ```
 * @public
 */
export type ServiceModuleLoader = (packageName: string) => Promise<Record<string, unknown>>;
