/** What Express knows about the route a request matched. */
export interface RoutedRequest {
  readonly baseUrl?: string;
  readonly route?: { readonly path?: unknown };
}

/**
 * The matched route template (`/appointments/:id`), or undefined before routing or when no
 * route matched. Logs and span names use it instead of the URL, which holds ids.
 */
export function routeTemplate(request: RoutedRequest): string | undefined {
  const path = request.route?.path;
  return typeof path === 'string' ? `${request.baseUrl ?? ''}${path}` : undefined;
}
