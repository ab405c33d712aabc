import type { FastifyInstance, RouteOptions } from 'fastify';

/** One route as registered: enough to list what anonymous clients can reach (fuzzing, log redaction). */
export type RouteSummary = {
  method: string;
  url: string;
  /** Reachable without credentials: an /api/v1 route with `config.public`, or any page outside /api/v1. */
  public: boolean;
  schema: RouteOptions['schema'];
};

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteSummary[];
  }
}

/** Records every route registered after this call, in registration order. */
export function registerRouteTable(app: FastifyInstance): void {
  const table: RouteSummary[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { public?: boolean };
    const isPublic = !route.url.startsWith('/api/v1/') || config.public === true;
    for (const method of [route.method].flat()) {
      table.push({ method, url: route.url, public: isPublic, schema: route.schema });
    }
  });
}
