import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { createKeyCheck, type KeyCheckOptions, type KeyContext } from './key-check.ts';

export type { KeyCacheOptions, KeyCheckOptions, KeyContext, RefusalCode } from './key-check.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified key's context, set by the `latchkey` plugin (null before it ran). */
    latchkey: KeyContext | null;
  }
}

const plugin: FastifyPluginAsync<KeyCheckOptions<FastifyRequest>> = async (app, options) => {
  const check = createKeyCheck(options);
  app.decorateRequest('latchkey', null);
  // onRequest: before the body is read, so a refused request costs no parsing.
  app.addHook('onRequest', async (request, reply) => {
    const outcome = await check(
      { method: request.method, headers: request.headers, sourceIp: request.ip },
      request,
    );
    if (!outcome.allowed) return reply.code(outcome.status).send(outcome.body);
    request.latchkey = outcome.context;
  });
};

/**
 * Fastify plugin: checks the key of every request in the context it is registered in (the app,
 * or a prefix's plugin) through POST /v1/verify; on success the key's context is
 * `request.latchkey`, otherwise the answer is the authorizer's (401 or 403 with
 * `{ "error": { "code", "message" } }`, 500 when the key could not be checked).
 */
export const latchkey = fastifyPlugin(plugin, { name: '@latchkey/client/fastify', fastify: '5.x' });
