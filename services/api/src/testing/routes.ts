import type { INestApplication } from '@nestjs/common';

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route in the Express router stack of the Nest app (controllers, whatever their module), Express paths (`:id`). */
export function routesOfRouter(app: INestApplication): { method: string; path: string }[] {
  const http = app.getHttpAdapter().getInstance() as {
    router?: { stack: RouterLayer[] };
    _router?: { stack: RouterLayer[] };
  };
  const stack = (http.router ?? http._router)?.stack ?? [];
  const out: { method: string; path: string }[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: layer.route.path });
    }
  }
  return out;
}
