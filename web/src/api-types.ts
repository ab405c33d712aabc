import type { paths } from './generated/api';

/**
 * Shapes of the server's answers, derived from the generated OpenAPI types (web/src/generated/api.ts,
 * `npm run api:generate`) instead of written by hand, so a server change shows up as a type error here.
 */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type SuccessBody<Responses> = Responses extends { 200: { content: { 'application/json': infer Body } } }
  ? Body
  : Responses extends { 201: { content: { 'application/json': infer Body } } }
    ? Body
    : never;

/** The JSON body of the success answer (200, else 201) of `method path`, e.g. `ResponseOf<'/api/v1/settings', 'get'>`. */
export type ResponseOf<Path extends keyof paths, M extends Method> =
  NonNullable<paths[Path][M]> extends {
    responses: infer Responses;
  }
    ? SuccessBody<Responses>
    : never;

/** One item of a listed answer (`{ items: T[] }`). */
export type ItemOf<List> = List extends { items: (infer Item)[] } ? Item : never;
