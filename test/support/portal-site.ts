import { fileURLToPath } from 'node:url';

/**
 * A small built site (index.html, a hashed file under assets/, the build's headers.json) that
 * template tests deploy as the portal's assets instead of building web/dist.
 */
export const PORTAL_SITE = fileURLToPath(new URL('../fixtures/portal-site', import.meta.url));
