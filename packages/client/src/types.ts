/**
 * The Latchkey API's types, generated from its OpenAPI document (functions/contract/) by
 * openapi-typescript: `npm run contract` writes this file, and a test fails when it is stale.
 * Do not edit it by hand.
 */

export interface paths {
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List keys
         * @description Filtered and paged; never reads the whole table. Granted under api.key.view.
         */
        get: operations["listKeys"];
        put?: never;
        /**
         * Create a key
         * @description The answer carries the secret, once; only its hash is kept. Granted under api.key.create.
         */
        post: operations["createKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a key
         * @description During a rotation's grace, with how much the old key is still used (`graceUsage`). Granted under api.key.view.
         */
        get: operations["getKey"];
        put?: never;
        post?: never;
        /**
         * Delete a key
         * @description Removes the record; its owner's slot is given back. Granted under api.key.delete.
         */
        delete: operations["deleteKey"];
        options?: never;
        head?: never;
        /**
         * Update a key
         * @description Changes the fields given. With `If-Match`, only over that version. Granted under api.key.update.
         */
        patch: operations["updateKey"];
        trace?: never;
    };
    "/v1/keys/{keyId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a key
         * @description Immediate and final; revoking again answers the same key. Granted under api.key.delete.
         */
        post: operations["revokeKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{keyId}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a key
         * @description A new key with the same settings and a new secret; the old one is revoked now or expires after the grace period. With an `Idempotency-Key`, a retry gets the same keys (`secret: null`). Granted under api.key.update.
         */
        post: operations["rotateKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{keyId}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A key's usage
         * @description Requests per UTC day, allowed and refused, oldest first. Granted under api.key.view.
         */
        get: operations["getKeyUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{keyId}/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A key's recent requests
         * @description The checks of the key, newest first, from the verification log: JSON pages, or the same page as CSV with `?format=csv` or `Accept: text/csv`. Granted under api.key.view.
         */
        get: operations["listKeyRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Usage across keys
         * @description Every key with traffic in the window, most active first, with the unusual-activity flag. Granted under api.key.view.
         */
        get: operations["getUsageOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{keyId}/quota": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A key's quota
         * @description The key's plan and how much of its quota it used this period. Granted under api.key.view.
         */
        get: operations["getKeyQuota"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List usage plans
         * @description Granted under api.key.view.
         */
        get: operations["listPlans"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit trail
         * @description Who did what, when; newest first; by key, actor and action. Granted under api.key.view.
         */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify a key
         * @description The authorizer's decision for callers that are not API Gateway. A refusal is an answer (200, `valid: false`), not an error. Granted under api.key.view.
         */
        post: operations["verifyKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List roles
         * @description The built-in roles and the custom ones. Granted under api.key.view.
         */
        get: operations["listRoles"];
        put?: never;
        /**
         * Create a role
         * @description Granted under api.key.create.
         */
        post: operations["createRole"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/roles/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a role
         * @description Granted under api.key.view.
         */
        get: operations["getRole"];
        /**
         * Replace a role
         * @description Replaces a custom role's description and permissions. Granted under api.key.update.
         */
        put: operations["putRole"];
        post?: never;
        /**
         * Delete a role
         * @description Refused (409) while keys still use it, saying how many. Granted under api.key.delete.
         */
        delete: operations["deleteRole"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rotation/sweep": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run the rotation sweep
         * @description Now, or as a preview (`dryRun`) as of another time (`asOf`). Granted under api.key.update.
         */
        post: operations["runRotationSweep"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List lifecycle events (local server only)
         * @description The events that go to EventBridge in AWS, newest first. Served by the local server only. Granted under api.key.view.
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who am I
         * @description The caller as the management API sees it: the actor the audit trail names. Granted under api.key.view.
         */
        get: operations["whoAmI"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/leaks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report a leaked secret
         * @description A secret found by hand: the same check and action as GitHub's report. The answer never holds it. Granted under api.key.delete.
         */
        post: operations["reportLeak"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/leaks/github": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * GitHub secret scanning's report
         * @description GitHub's secret scanning partner endpoint. No IAM: the ECDSA signature over the raw body is the only authentication, checked before the body is read.
         */
        post: operations["reportGitHubLeaks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/compliance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The compliance report
         * @description Every live key that needs attention. JSON, or CSV with `?format=csv` or `Accept: text/csv`. Granted under api.key.view.
         */
        get: operations["getComplianceReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import existing secrets
         * @description Stores secrets another system issued (their HMAC only) as keys due for rotation. Each key stands alone: a refused one is reported by index and the rest go on. Granted under api.key.create.
         */
        post: operations["importKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke or disable every key a filter matches
         * @description The kill switch. A dry run counts the matching keys, shows some and issues a `confirm` token; a run with that token (same filter and action, within 10 minutes) acts on each key, with its own audit record and event. A run that answers `done: false` carries on when called again with the same body. Granted under api.key.delete.
         */
        post: operations["bulkKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{keyId}/extend-grace": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Extend a rotation's grace
         * @description Lengthens the grace of the key a rotation replaced (at most 7 days a call, 30 days from the rotation in all); audited. Granted under api.key.update.
         */
        post: operations["extendGrace"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/credentials/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report found secrets
         * @description Anyone who found Latchkey secrets reports them, with no authentication; each live one is revoked. The answer is the same whatever was sent, and the check runs after it, so neither tells a live key from garbage.
         */
        post: operations["revokeCredentials"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pepper": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List pepper versions
         * @description The versions, never the peppers, with how many live keys use each. Granted under api.key.view.
         */
        get: operations["listPepperVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pepper/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the pepper
         * @description A new current version; older versions keep verifying their keys. Granted under api.key.update.
         */
        post: operations["rotatePepper"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pepper/versions/{version}/retire": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retire a pepper version
         * @description Refused (409) while live keys still use it, naming them. Granted under api.key.delete.
         */
        post: operations["retirePepperVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a portal link
         * @description The team's backend asks for a one-time link to the self-service portal for one of its users. The link's code is in this answer only. Granted under api.key.create.
         */
        post: operations["createPortalSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal/sessions/{sessionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * End a portal session
         * @description At once: its next request is a 401. Granted under api.key.delete.
         */
        delete: operations["deletePortalSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document
         * @description The OpenAPI document of the management and portal APIs, generated from the code. No auth.
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/enter": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open a portal link
         * @description The link's one-time code becomes the session cookie and the browser goes on to the portal. A used, expired or unknown link is a 401 page saying so.
         */
        get: operations["enterPortal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The session
         * @description Who the page is for and what it may do.
         */
        get: operations["getPortalSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out
         * @description The session ends and the cookie goes with it.
         */
        post: operations["logoutPortal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the session's keys
         * @description The keys of the session scope it may see, newest first. The session must allow api.key.view.
         */
        get: operations["listPortalKeys"];
        put?: never;
        /**
         * Create a key in the portal
         * @description A key in the session's scope, with its roles and owner where the request leaves them out. The session must allow api.key.create.
         */
        post: operations["createPortalKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a key in the portal
         * @description A key outside the session answers exactly as a key that does not exist. The session must allow api.key.view.
         */
        get: operations["getPortalKey"];
        put?: never;
        post?: never;
        /**
         * Delete a key in the portal
         * @description The session must allow api.key.delete.
         */
        delete: operations["deletePortalKey"];
        options?: never;
        head?: never;
        /**
         * Update a key in the portal
         * @description As /v1, within the session's roles. The session must allow api.key.update.
         */
        patch: operations["updatePortalKey"];
        trace?: never;
    };
    "/portal/api/keys/{keyId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a key in the portal
         * @description The session must allow api.key.delete.
         */
        post: operations["revokePortalKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/keys/{keyId}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a key in the portal
         * @description Needs both api.key.create and api.key.delete. The session must allow api.key.create and api.key.delete.
         */
        post: operations["rotatePortalKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/keys/{keyId}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A portal key's usage
         * @description The session must allow api.key.view.
         */
        get: operations["getPortalKeyUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description No auth: whether the service can read its keys table (the answer is cached for a few seconds).
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        CreateKeyRequest: {
            name?: string;
            description?: string;
            metadata?: {
                [key: string]: string;
            };
            owner?: string;
            /**
             * @default service
             * @enum {string}
             */
            type?: "personal" | "service" | "canary";
            /**
             * @default {
             *       "workspaceId": "default"
             *     }
             */
            scope?: {
                workspaceId: string;
            } | {
                organizationId: string;
                workspaceIds: "*" | string[];
            };
            /**
             * @default [
             *       "read"
             *     ]
             */
            roles?: string[];
            /** @default [] */
            permissions?: string[];
            /**
             * @default production
             * @enum {string}
             */
            environment?: "production" | "development";
            rotationDays?: number;
            ipAllowlist?: string[];
            usageIdentifierKey?: string;
            plan?: string;
            /** @default null */
            expiresAt?: string | null;
        };
        /** @description The fields to change; at least one. */
        UpdateKeyRequest: {
            name?: string;
            description?: string | null;
            metadata?: {
                [key: string]: string;
            } | null;
            roles?: string[];
            permissions?: string[];
            expiresAt?: string | null;
            ipAllowlist?: string[] | null;
            enabled?: boolean;
            plan?: string | null;
        };
        RotateKeyRequest: {
            /**
             * @description How long the old key keeps working; 0 revokes it now.
             * @default 0
             */
            gracePeriodSeconds?: number;
        };
        VerifyRequest: {
            /** @description The secret the caller presented. */
            key: string;
            /** @description A permission the key must grant. */
            permission?: string;
            /** @description The workspace the request is for. */
            workspaceId?: string;
            /** @description The caller's address, for the IP allowlist. */
            sourceIp?: string;
        };
        CreateRoleRequest: {
            name: string;
            /** @default  */
            description?: string;
            permissions: string[];
        };
        PutRoleRequest: {
            /** @default  */
            description?: string;
            permissions: string[];
        };
        SweepRequest: {
            /**
             * Format: date-time
             * @description Sweep as of this time (a preview of a later day, say).
             */
            asOf?: string;
            /**
             * @description Report what the sweep would do, and change nothing.
             * @default false
             */
            dryRun?: boolean;
        };
        LeakReport: {
            secret: string;
            /** @description Where it was found. */
            url?: string;
            /**
             * @description What to do with a live key: the service's setting unless given.
             * @enum {string}
             */
            action?: "revoke" | "disable";
        };
        GitHubLeakReport: ({
            token: string;
            /** @default  */
            type?: string;
            /** @default  */
            url?: string;
            source?: string;
        } & {
            [key: string]: unknown;
        })[];
        ImportKeysRequest: {
            keys: {
                name?: string;
                description?: string;
                metadata?: {
                    [key: string]: string;
                };
                owner?: string;
                /**
                 * @default service
                 * @enum {string}
                 */
                type?: "personal" | "service";
                /**
                 * @default {
                 *       "workspaceId": "default"
                 *     }
                 */
                scope?: {
                    workspaceId: string;
                } | {
                    organizationId: string;
                    workspaceIds: "*" | string[];
                };
                /**
                 * @default [
                 *       "read"
                 *     ]
                 */
                roles?: string[];
                /** @default [] */
                permissions?: string[];
                /**
                 * @default production
                 * @enum {string}
                 */
                environment?: "production" | "development";
                rotationDays?: number;
                ipAllowlist?: string[];
                usageIdentifierKey?: string;
                /** @default null */
                expiresAt?: string | null;
                secret: string;
            }[];
        };
        BulkRequest: {
            filter: components["schemas"]["BulkFilter"];
            action: components["schemas"]["BulkAction"];
            dryRun: boolean;
            /** @description The `confirm` token of a dry run with the same filter and action, at most 10 minutes old. */
            confirm?: string;
        };
        /** @description Every field given must hold. `owner` exactly; `search` as the list; the dates are exclusive bounds. A revoked key never matches; a canary only with `type: canary`. */
        BulkFilter: {
            owner?: string;
            role?: string;
            workspaceId?: string;
            organizationId?: string;
            /** @enum {string} */
            type?: "personal" | "service" | "canary";
            /** @enum {string} */
            status?: "active" | "inactive" | "expired";
            rotationDue?: boolean;
            /** Format: date-time */
            createdBefore?: string;
            /** Format: date-time */
            createdAfter?: string;
            /** Format: date-time */
            lastUsedBefore?: string;
            search?: string;
        };
        /** @enum {string} */
        BulkAction: "revoke" | "disable";
        ExtendGraceRequest: {
            /** @description How much longer the grace runs: at most 7 days a call, 30 days from the rotation in all. */
            seconds: number;
        };
        CredentialsRevokeRequest: {
            /** @description The strings found: any that is a live Latchkey secret is revoked. */
            credentials: string[];
        };
        CreatePortalSessionRequest: {
            subject: string;
            scope: {
                workspaceId: string;
            } | {
                organizationId: string;
                workspaceIds: "*" | string[];
            };
            /**
             * @default [
             *       "api.key.view",
             *       "api.key.create",
             *       "api.key.update",
             *       "api.key.delete"
             *     ]
             */
            permissions?: ("api.key.view" | "api.key.create" | "api.key.update" | "api.key.delete")[];
            /**
             * @default [
             *       "read"
             *     ]
             */
            roles?: string[];
            /**
             * @default [
             *       "personal",
             *       "service"
             *     ]
             */
            types?: ("personal" | "service")[];
            /**
             * @default own
             * @enum {string}
             */
            personalKeys?: "own" | "all";
            /** @default 3600 */
            expiresInSeconds?: number;
            returnUrl?: string;
            branding?: {
                productName: string;
                logoUrl?: string;
                accentColor?: string;
            };
        };
        PortalCreateKeyRequest: {
            name?: string;
            description?: string;
            metadata?: {
                [key: string]: string;
            };
            owner?: string;
            /** @enum {string} */
            type?: "personal" | "service" | "canary";
            scope?: {
                workspaceId: string;
            } | {
                organizationId: string;
                workspaceIds: "*" | string[];
            };
            roles?: string[];
            permissions?: string[];
            /** @enum {string} */
            environment?: "production" | "development";
            rotationDays?: number;
            ipAllowlist?: string[];
            usageIdentifierKey?: string;
            plan?: string;
            expiresAt?: string | null;
        };
        /**
         * @example {
         *       "key": {
         *         "keyId": "key_4fQ2bX9kLmN3pR7sT1vW8y",
         *         "name": "billing-service",
         *         "owner": "alice",
         *         "type": "service",
         *         "scope": {
         *           "workspaceId": "ws-1"
         *         },
         *         "roles": [
         *           "read"
         *         ],
         *         "permissions": [],
         *         "environment": "production",
         *         "expiresAt": null,
         *         "status": "active",
         *         "createdAt": "2025-01-15T09:30:00.000Z",
         *         "createdBy": "local-admin",
         *         "updatedAt": "2025-01-15T09:30:00.000Z",
         *         "lastUsedAt": null,
         *         "rotationDueAt": "2025-04-15T09:30:00.000Z",
         *         "rotationDue": false,
         *         "version": 1
         *       },
         *       "secret": "lk_live_4fQ2bX9kLmN3pR7sT1vW8y_Jd8sK2mQ9xV4bN7cR1tY6uP3wZ5aE0fG2hL8jK4nM1qS7a9Bc"
         *     }
         */
        CreatedKey: {
            key: components["schemas"]["ApiKey"];
            /** @description Shown this once; only its hash is kept. */
            secret: string;
        };
        /**
         * @example {
         *       "keyId": "key_4fQ2bX9kLmN3pR7sT1vW8y",
         *       "name": "billing-service",
         *       "owner": "alice",
         *       "type": "service",
         *       "scope": {
         *         "workspaceId": "ws-1"
         *       },
         *       "roles": [
         *         "read"
         *       ],
         *       "permissions": [],
         *       "environment": "production",
         *       "expiresAt": null,
         *       "status": "active",
         *       "createdAt": "2025-01-15T09:30:00.000Z",
         *       "createdBy": "local-admin",
         *       "updatedAt": "2025-01-15T09:30:00.000Z",
         *       "lastUsedAt": null,
         *       "rotationDueAt": "2025-04-15T09:30:00.000Z",
         *       "rotationDue": false,
         *       "version": 1
         *     }
         */
        ApiKey: {
            /** @example key_4fQ2bX9kLmN3pR7sT1vW8y */
            keyId: string;
            name: string;
            description?: string;
            metadata?: {
                [key: string]: string;
            };
            owner: string;
            type: components["schemas"]["KeyType"];
            scope: components["schemas"]["KeyScope"];
            roles: string[];
            permissions: string[];
            environment: components["schemas"]["Environment"];
            rotationDays?: number;
            ipAllowlist?: string[];
            usageIdentifierKey?: string;
            /** @description The usage plan (rate limit, burst, quota). */
            plan?: string;
            expiresAt: components["schemas"]["Timestamp"] | null;
            status: components["schemas"]["KeyStatus"];
            createdAt: components["schemas"]["Timestamp"];
            createdBy: string;
            updatedAt: components["schemas"]["Timestamp"];
            lastUsedAt: components["schemas"]["Timestamp"] | null;
            /** @description The last allowed request's source address. */
            lastUsedIp?: string;
            /** @description The last allowed request's User-Agent, cut to 128 UTF-8 bytes. */
            lastUsedAgent?: string;
            /** @description The last allowed request's `METHOD /route`. */
            lastUsedRoute?: string;
            revokedAt?: components["schemas"]["Timestamp"];
            rotationDueAt: components["schemas"]["Timestamp"];
            rotationDue: boolean;
            /** @description The key this one replaced. */
            rotatedFrom?: string;
            /** @description The key that replaced this one. */
            rotatedTo?: string;
            /** @description Stored from a secret another system issued (POST /v1/keys/import). */
            imported?: boolean;
            /** @description A canary's trips so far. */
            tripCount?: number;
            firstTrippedAt?: components["schemas"]["Timestamp"];
            lastTrippedAt?: components["schemas"]["Timestamp"];
            lastTripSourceIp?: string;
            lastTripRoute?: string;
            /** @description Sent back as `ETag`; give it in `If-Match` to update safely. */
            version: number;
        };
        /**
         * @description `canary`: a honeytoken, never valid; any use of it is an alarm.
         * @enum {string}
         */
        KeyType: "personal" | "service" | "canary";
        /** @description One workspace, or an organization: some of its workspaces or all (`*`). */
        KeyScope: {
            workspaceId: string;
        } | {
            organizationId: string;
            workspaceIds: string[] | "*";
        };
        /**
         * @description Secrets start `lk_live_` (production) or `lk_test_` (development).
         * @enum {string}
         */
        Environment: "production" | "development";
        /** Format: date-time */
        Timestamp: string;
        /**
         * @description `expired` is derived from `expiresAt`.
         * @enum {string}
         */
        KeyStatus: "active" | "inactive" | "revoked" | "expired";
        ErrorResponse: {
            error: {
                /** @description What went wrong, for programs: BAD_REQUEST, VALIDATION_FAILED, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, KEY_REVOKED, CONFLICT, LIMIT_EXCEEDED, ROLE_IN_USE, PRECONDITION_FAILED, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, IDEMPOTENCY_KEY_REUSED, POLICY_VIOLATION, INTERNAL, SERVICE_UNAVAILABLE; a rotation under an Idempotency-Key may also answer ROTATION_IN_PROGRESS or ALREADY_ROTATED, and API Gateway's own refusals carry its response type (ACCESS_DENIED, MISSING_AUTHENTICATION_TOKEN, THROTTLED, …). */
                code: string;
                /** @description What went wrong, for people. */
                message: string;
                /** @description Every bad field, one entry each. */
                details?: components["schemas"]["FieldIssue"][];
                /** @description The request, for a report or a log search (on a 500). */
                requestId?: string;
            };
        };
        FieldIssue: {
            /** @description The field, dotted (`scope.workspaceId`), or a header name. */
            field: string;
            message: string;
            /** @description The compliance policy rule the field breaks (POLICY_VIOLATION). */
            rule?: string;
        };
        /** @description One page of keys. */
        KeyPage: {
            items: components["schemas"]["ApiKey"][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            nextCursor: string | null;
            /** @description The request's read budget ran out before the page was full; `nextCursor` carries on. */
            truncated?: boolean;
        };
        KeyDetail: {
            /** @example key_4fQ2bX9kLmN3pR7sT1vW8y */
            keyId: string;
            name: string;
            description?: string;
            metadata?: {
                [key: string]: string;
            };
            owner: string;
            type: components["schemas"]["KeyType"];
            scope: components["schemas"]["KeyScope"];
            roles: string[];
            permissions: string[];
            environment: components["schemas"]["Environment"];
            rotationDays?: number;
            ipAllowlist?: string[];
            usageIdentifierKey?: string;
            /** @description The usage plan (rate limit, burst, quota). */
            plan?: string;
            expiresAt: components["schemas"]["Timestamp"] | null;
            status: components["schemas"]["KeyStatus"];
            createdAt: components["schemas"]["Timestamp"];
            createdBy: string;
            updatedAt: components["schemas"]["Timestamp"];
            lastUsedAt: components["schemas"]["Timestamp"] | null;
            /** @description The last allowed request's source address. */
            lastUsedIp?: string;
            /** @description The last allowed request's User-Agent, cut to 128 UTF-8 bytes. */
            lastUsedAgent?: string;
            /** @description The last allowed request's `METHOD /route`. */
            lastUsedRoute?: string;
            revokedAt?: components["schemas"]["Timestamp"];
            rotationDueAt: components["schemas"]["Timestamp"];
            rotationDue: boolean;
            /** @description The key this one replaced. */
            rotatedFrom?: string;
            /** @description The key that replaced this one. */
            rotatedTo?: string;
            /** @description Stored from a secret another system issued (POST /v1/keys/import). */
            imported?: boolean;
            /** @description A canary's trips so far. */
            tripCount?: number;
            firstTrippedAt?: components["schemas"]["Timestamp"];
            lastTrippedAt?: components["schemas"]["Timestamp"];
            lastTripSourceIp?: string;
            lastTripRoute?: string;
            /** @description Sent back as `ETag`; give it in `If-Match` to update safely. */
            version: number;
            /** @description While either key of a rotation is in its grace: the old key's requests since the rotation. */
            graceUsage?: components["schemas"]["GraceUsage"];
        };
        GraceUsage: {
            /** @description The rotation: requests are counted from here. */
            since: components["schemas"]["Timestamp"];
            /** @description Requests the old key made since (allowed and refused, once its secret was proven). */
            requests: number;
            /** @description The old key's last use since the rotation, or null. */
            lastUsedAt: components["schemas"]["Timestamp"] | null;
        };
        /** @description `key` is the new key; `previous` the old one, revoked now or expiring when the grace period ends. */
        RotatedKey: {
            key: components["schemas"]["ApiKey"];
            /** @description The new secret; null when an Idempotency-Key replays an earlier rotation. */
            secret: string | null;
            previous: components["schemas"]["ApiKey"];
            /**
             * @description This answer replays an earlier rotation.
             * @constant
             */
            replayed?: true;
        };
        KeyUsage: {
            keyId: string;
            lastUsedAt: components["schemas"]["Timestamp"] | null;
            days: components["schemas"]["KeyUsageDay"][];
            total: {
                allowed: number;
                refused: number;
                /** @description Refused checks by refusal code (`REVOKED`, `INVALID_SECRET`, …). */
                refusals: {
                    [key: string]: number;
                };
            };
            latencyMs: components["schemas"]["LatencySummary"];
            routes: components["schemas"]["TopRoutes"];
            sourceIps: components["schemas"]["TopSourceIps"];
        };
        KeyUsageDay: {
            /** Format: date */
            date: string;
            allowed: number;
            refused: number;
            /** @description Refused checks by refusal code (`REVOKED`, `INVALID_SECRET`, …). */
            refusals: {
                [key: string]: number;
            };
            latencyMs: components["schemas"]["LatencySummary"];
            routes: components["schemas"]["TopRoutes"];
            sourceIps: components["schemas"]["TopSourceIps"];
        };
        /** @description p50 and p99 of the checks' own latency in milliseconds (1% relative accuracy); null without checks. */
        LatencySummary: {
            p50: number;
            p99: number;
        } | null;
        /** @description The top 20 routes (`METHOD /route`) by requests. */
        TopRoutes: {
            top: {
                route: string;
                requests: number;
            }[];
            /** @description Requests to every route not in `top`. */
            other: number;
        };
        /** @description The top 20 source addresses by requests. */
        TopSourceIps: {
            top: {
                sourceIp: string;
                requests: number;
            }[];
            /** @description Requests from every address not in `top`. */
            other: number;
        };
        /** @description One page of a key's recent requests, newest first. */
        RequestsPage: {
            keyId: string;
            items: components["schemas"]["RequestRow"][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            nextCursor: string | null;
        };
        RequestRow: {
            at: components["schemas"]["Timestamp"];
            /** @description `ALLOWED`, or the refusal code. */
            outcome: string;
            method: string;
            /** @description The route's resource path (the request's path where the API names none). */
            path: string;
            sourceIp: string | null;
            /** @description Cut to 128 UTF-8 bytes. */
            userAgent: string | null;
            /** @description The check's own latency. */
            latencyMs: number;
            region: string | null;
        };
        UsageOverview: {
            window: {
                days: number;
                /** Format: date */
                from: string;
                /** Format: date */
                to: string;
            };
            total: {
                allowed: number;
                refused: number;
                keys: number;
            };
            series: components["schemas"]["UsageDay"][];
            thresholds: {
                factor: number;
                minRequests: number;
                minAgeDays: number;
            };
            items: components["schemas"]["UsageOverviewItem"][];
            nextCursor: string | null;
        };
        UsageDay: {
            /** Format: date */
            date: string;
            allowed: number;
            refused: number;
        };
        UsageOverviewItem: {
            keyId: string;
            /** @description The key's name; its ID when the key has been deleted since. */
            name: string;
            owner: string | null;
            status: components["schemas"]["KeyStatus"] | "deleted";
            total: {
                allowed: number;
                refused: number;
            };
            days: components["schemas"]["UsageDay"][];
            lastUsedAt: components["schemas"]["Timestamp"] | null;
            /** @description When the key stops working, so a key a rotation replaced can say until when. */
            expiresAt: components["schemas"]["Timestamp"] | null;
            rotatedFrom?: string;
            rotatedTo?: string;
            unusual: boolean;
            /** @description Requests (allowed + refused) on the window's latest day. */
            latest: number;
            /** @description Median of the earlier days of the window; null for a key too young to have one. */
            baseline: number | null;
        };
        KeyQuota: {
            plan: string;
            /** @description Requests per period; null for a plan without a quota. */
            limit: number | null;
            period: ("DAY" | "WEEK" | "MONTH") | null;
            used: number;
            remaining: number | null;
            resetsAt: components["schemas"]["Timestamp"] | null;
            keyId: string;
            /** @description The count is the whole plan's (usage plan mode `shared`). */
            shared: boolean;
        } | {
            keyId: string;
            /** @constant */
            shared: false;
            plan: null;
        };
        PlanList: {
            /** @enum {string} */
            mode: "local" | "shared" | "perKey";
            items: components["schemas"]["UsagePlan"][];
        };
        UsagePlan: {
            rateLimit: number;
            burstLimit: number;
            quota?: {
                limit: number;
                /** @enum {string} */
                period: "DAY" | "WEEK" | "MONTH";
            };
            name: string;
        };
        /** @description One page of audit records, newest first. */
        AuditPage: {
            items: components["schemas"]["AuditEntry"][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            nextCursor: string | null;
            /** @description The request's read budget ran out before the page was full; `nextCursor` carries on. */
            truncated?: boolean;
        };
        AuditEntry: {
            at: components["schemas"]["Timestamp"];
            actor: string;
            /** @example key.created */
            action: string;
            keyId?: string;
            role?: string;
            pepperVersion?: string;
            portalSession?: string;
            /** @description Field by field: the value before and after (null where there was none). */
            changes?: {
                [key: string]: {
                    before: unknown;
                    after: unknown;
                };
            };
            requestId: string;
            /** @description What the actor acted on beyond the request, e.g. a leak report's `url`. */
            context?: {
                [key: string]: string;
            };
        };
        /** @description The key is shown only once the secret is proven: never for NOT_FOUND or INVALID_SECRET. */
        VerifyResult: {
            valid: boolean;
            /**
             * @description VALID, or why the key is refused (the same codes as the authorizer).
             * @enum {string}
             */
            code: "VALID" | "MISSING" | "MALFORMED" | "NOT_FOUND" | "INVALID_SECRET" | "REVOKED" | "DISABLED" | "EXPIRED" | "IP_NOT_ALLOWED" | "WORKSPACE_NOT_ALLOWED" | "INSUFFICIENT_PERMISSIONS";
            key?: components["schemas"]["ApiKey"];
            /** @description What the key's roles and permissions grant, once its secret is proven. */
            permissions?: string[];
        };
        RoleList: {
            items: components["schemas"]["Role"][];
        };
        /**
         * @example {
         *       "name": "billing-reader",
         *       "description": "Reads invoices",
         *       "permissions": [
         *         "invoices:read"
         *       ],
         *       "builtin": false,
         *       "keyCount": 0,
         *       "createdAt": "2025-01-15T09:30:00.000Z",
         *       "updatedAt": "2025-01-15T09:30:00.000Z",
         *       "version": 1
         *     }
         */
        Role: {
            name: string;
            description: string;
            permissions: string[];
            builtin: boolean;
            /** @description Live keys that name this custom role. */
            keyCount?: number;
            createdAt?: components["schemas"]["Timestamp"];
            updatedAt?: components["schemas"]["Timestamp"];
            /** @description A custom role's version: sent as `ETag`, given back in `If-Match`. */
            version?: number;
        };
        SweepResult: {
            asOf: components["schemas"]["Timestamp"];
            /** @description What the expiry, unused and unusual-activity passes ran as of: `asOf` for a preview, never later than now for a run that writes. */
            noticesAsOf: components["schemas"]["Timestamp"];
            dryRun: boolean;
            /** @description Keys flagged as due for rotation. */
            flagged: components["schemas"]["SweepEntry"][];
            /** @description Keys reminded again. */
            reminded: components["schemas"]["SweepEntry"][];
            /** @description Keys announced as expiring (14 and 3 days before `expiresAt`). */
            expiringSoon: components["schemas"]["SweepEntry"][];
            /** @description Keys announced as unused. */
            unused: components["schemas"]["SweepEntry"][];
            /** @description Keys the policy disabled as unused for `disableUnusedAfterDays`. */
            disabledUnused: components["schemas"]["SweepEntry"][];
            /** @description Expired keys whose owner slot was given back. */
            reconciled: components["schemas"]["SweepEntry"][];
            /** @description Keys whose requests on a day jumped far above their baseline, once per key and day. */
            unusual: {
                keyId: string;
                name: string;
                owner: string;
                rotationDueAt?: components["schemas"]["Timestamp"];
                expiresAt?: components["schemas"]["Timestamp"] | null;
                /** Format: date */
                day: string;
                latest: number;
                baseline: number | null;
            }[];
            /** @description What the sweep read: index pages and their items (never a scan). */
            reads: {
                pages: number;
                items: number;
            };
            /** @description Changes undone because their event could not be published; the next run retries them. */
            failed: number;
        };
        SweepEntry: {
            keyId: string;
            name: string;
            owner: string;
            rotationDueAt?: components["schemas"]["Timestamp"];
            expiresAt?: components["schemas"]["Timestamp"] | null;
        };
        /** @description One page of lifecycle events, newest first. */
        EventPage: {
            items: components["schemas"]["LifecycleEvent"][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            nextCursor: string | null;
            /** @description The request's read budget ran out before the page was full; `nextCursor` carries on. */
            truncated?: boolean;
        };
        LifecycleEvent: {
            id: string;
            time: components["schemas"]["Timestamp"];
            /** @constant */
            source: "latchkey";
            /** @enum {string} */
            detailType: "API Key Created" | "API Key Updated" | "API Key Enabled" | "API Key Disabled" | "API Key Revoked" | "API Key Rotated" | "API Key Deleted" | "API Key Rotation Due" | "API Key Unusual Activity" | "API Key Leaked" | "API Key Expiring" | "API Key Unused" | "API Key Disabled (Unused)" | "API Key Still In Use" | "API Key Quota Threshold" | "API Key Canary Triggered";
            detail: components["schemas"]["KeyEventDetail"];
        };
        /** @description The key as it was, and who acted; each event type adds its own fields. Never a secret. */
        KeyEventDetail: {
            /** @constant */
            version: "1";
            keyId: string;
            name: string;
            owner: string;
            type: string;
            environment: string;
            status: string;
            at: components["schemas"]["Timestamp"];
            actor: string;
        } & {
            [key: string]: unknown;
        };
        WhoAmI: {
            /** @description The actor written to the audit trail: an IAM ARN, or `local-admin`. */
            actor: string;
            /** @enum {string} */
            mode: "local" | "aws";
        };
        LeakReportResult: {
            /** @constant */
            label: "false_positive";
            /**
             * @description Why it is not a live Latchkey secret: no such format, no such key, or not its secret.
             * @enum {string}
             */
            code: "MALFORMED" | "NOT_FOUND" | "INVALID_SECRET";
        } | {
            /** @constant */
            label: "true_positive";
            /** @enum {string} */
            action: "revoke" | "disable";
            /** @description False when the key was already revoked (or disabled): nothing changed. */
            changed: boolean;
            key: components["schemas"]["ApiKey"];
        };
        GitHubLeakFeedback: {
            token_hash: string;
            token_type: string;
            /** @enum {string} */
            label: "true_positive" | "false_positive";
        }[];
        ComplianceReport: {
            generatedAt: components["schemas"]["Timestamp"];
            /** @description Days without use after which a used key is unused. */
            unusedDays: number;
            expiringWithinDays: number;
            currentPepperVersion: string;
            totals: {
                liveKeys: number;
                rotationOverdue: number;
                neverUsed: number;
                unused: number;
                noExpiry: number;
                expiringSoon: number;
                disablingSoon: number;
                retiringPepper: number;
            };
            owners: {
                liveKeys: number;
                rotationOverdue: number;
                neverUsed: number;
                unused: number;
                noExpiry: number;
                expiringSoon: number;
                disablingSoon: number;
                retiringPepper: number;
                owner: string;
            }[];
            pepperVersions: {
                version: string;
                keys: number;
                current: boolean;
            }[];
            rotationOverdue: {
                keyId: string;
                name: string;
                owner: string;
                type: components["schemas"]["KeyType"];
                /**
                 * @description Only live keys are reported.
                 * @enum {string}
                 */
                status: "active" | "inactive";
                environment: components["schemas"]["Environment"];
                createdAt: components["schemas"]["Timestamp"];
                lastUsedAt: components["schemas"]["Timestamp"] | null;
                expiresAt: components["schemas"]["Timestamp"] | null;
                rotationDueAt: components["schemas"]["Timestamp"];
                pepperVersion: string;
                /** @description Days past `rotationDueAt`. */
                daysOverdue: number;
            }[];
            neverUsed: {
                keyId: string;
                name: string;
                owner: string;
                type: components["schemas"]["KeyType"];
                /**
                 * @description Only live keys are reported.
                 * @enum {string}
                 */
                status: "active" | "inactive";
                environment: components["schemas"]["Environment"];
                createdAt: components["schemas"]["Timestamp"];
                lastUsedAt: components["schemas"]["Timestamp"] | null;
                expiresAt: components["schemas"]["Timestamp"] | null;
                rotationDueAt: components["schemas"]["Timestamp"];
                pepperVersion: string;
                /** @description Days since the key was made. */
                ageDays: number;
            }[];
            unused: {
                keyId: string;
                name: string;
                owner: string;
                type: components["schemas"]["KeyType"];
                /**
                 * @description Only live keys are reported.
                 * @enum {string}
                 */
                status: "active" | "inactive";
                environment: components["schemas"]["Environment"];
                createdAt: components["schemas"]["Timestamp"];
                lastUsedAt: components["schemas"]["Timestamp"] | null;
                expiresAt: components["schemas"]["Timestamp"] | null;
                rotationDueAt: components["schemas"]["Timestamp"];
                pepperVersion: string;
                /** @description Days since the key was last used. */
                daysUnused: number;
            }[];
            noExpiry: components["schemas"]["ComplianceEntry"][];
            expiringSoon: {
                keyId: string;
                name: string;
                owner: string;
                type: components["schemas"]["KeyType"];
                /**
                 * @description Only live keys are reported.
                 * @enum {string}
                 */
                status: "active" | "inactive";
                environment: components["schemas"]["Environment"];
                createdAt: components["schemas"]["Timestamp"];
                lastUsedAt: components["schemas"]["Timestamp"] | null;
                expiresAt: components["schemas"]["Timestamp"] | null;
                rotationDueAt: components["schemas"]["Timestamp"];
                pepperVersion: string;
                /** @description Days until `expiresAt`, rounded up. */
                daysLeft: number;
                /** @description Hours until `expiresAt`, rounded up (for a key with a day or two left). */
                hoursLeft: number;
            }[];
            /** @description Active keys the policy's `disableUnusedAfterDays` disables within 7 days unless used; empty without the rule. */
            disablingSoon: {
                keyId: string;
                name: string;
                owner: string;
                type: components["schemas"]["KeyType"];
                /**
                 * @description Only live keys are reported.
                 * @enum {string}
                 */
                status: "active" | "inactive";
                environment: components["schemas"]["Environment"];
                createdAt: components["schemas"]["Timestamp"];
                lastUsedAt: components["schemas"]["Timestamp"] | null;
                expiresAt: components["schemas"]["Timestamp"] | null;
                rotationDueAt: components["schemas"]["Timestamp"];
                pepperVersion: string;
                /** @description When the policy disables the key unless it is used first. */
                disablesAt: components["schemas"]["Timestamp"];
                /** @description Days until `disablesAt`, rounded up; 0: at the next sweep. */
                daysLeft: number;
            }[];
            /** @description The policy's `disableUnusedAfterDays`, or null without the rule. */
            disableUnusedAfterDays: number | null;
            retiringPepper: components["schemas"]["ComplianceEntry"][];
            /** @description Unused successors of a rotation in the last week: new, so not counted as never used. */
            newSuccessors: number;
            /** @description What building the report read. */
            reads: {
                pages: number;
                items: number;
                readUnits: number;
            };
        };
        ComplianceEntry: {
            keyId: string;
            name: string;
            owner: string;
            type: components["schemas"]["KeyType"];
            /**
             * @description Only live keys are reported.
             * @enum {string}
             */
            status: "active" | "inactive";
            environment: components["schemas"]["Environment"];
            createdAt: components["schemas"]["Timestamp"];
            lastUsedAt: components["schemas"]["Timestamp"] | null;
            expiresAt: components["schemas"]["Timestamp"] | null;
            rotationDueAt: components["schemas"]["Timestamp"];
            pepperVersion: string;
        };
        ImportResult: {
            imported: components["schemas"]["ApiKey"][];
            failed: {
                index: number;
                error: {
                    /** @enum {string} */
                    code: "BAD_REQUEST" | "VALIDATION_FAILED" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "KEY_REVOKED" | "CONFLICT" | "LIMIT_EXCEEDED" | "ROLE_IN_USE" | "PRECONDITION_FAILED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "IDEMPOTENCY_KEY_REUSED" | "POLICY_VIOLATION" | "INTERNAL" | "SERVICE_UNAVAILABLE" | "ALREADY_IMPORTED";
                    message: string;
                };
            }[];
        };
        /** @description A dry run, or a run: `dryRun` says which. */
        BulkResult: components["schemas"]["BulkDryRun"] | components["schemas"]["BulkRun"];
        BulkDryRun: {
            /** @constant */
            dryRun: true;
            action: components["schemas"]["BulkAction"];
            matched: number;
            sample: components["schemas"]["BulkSampleKey"][];
            /** @description Give it back, with the same filter and action, to run. */
            confirm: string;
            /** @description When the token stops being accepted (10 minutes after the dry run, by the service's clock). */
            confirmExpiresAt: components["schemas"]["Timestamp"];
        };
        BulkSampleKey: {
            keyId: string;
            name: string;
            owner: string;
            type: components["schemas"]["KeyType"];
            status: components["schemas"]["KeyStatus"];
            createdAt: components["schemas"]["Timestamp"];
            lastUsedAt: components["schemas"]["Timestamp"] | null;
        };
        BulkRun: {
            /** @constant */
            dryRun: false;
            action: components["schemas"]["BulkAction"];
            runId: string;
            affected: number;
            failed: components["schemas"]["BulkFailure"][];
            /** @description false: the call ran out of time; call again with the same body. */
            done: boolean;
        };
        BulkFailure: {
            keyId: string;
            message: string;
        };
        /** @description The same answer whatever was sent. */
        CredentialsAccepted: {
            /** @constant */
            message: "Thank you. Every string that is a live Latchkey secret will be revoked.";
        };
        PepperList: {
            currentVersion: string;
            versions: components["schemas"]["PepperVersion"][];
        };
        PepperVersion: {
            version: string;
            current: boolean;
            addedAt: components["schemas"]["Timestamp"] | null;
            liveKeys: number;
            /**
             * @description `counter`: the version's counter; `scan`: counted by a scan (versions from before counters).
             * @enum {string}
             */
            countedBy: "counter" | "scan";
        };
        PepperRotation: {
            currentVersion: string;
            previousVersion: string;
        };
        PepperRetirement: {
            retired: string;
            currentVersion: string;
        };
        PortalLink: {
            /** @description Give it to the user: it opens the portal once, within ten minutes. */
            url: string;
            /** @description When the session ends. */
            expiresAt: components["schemas"]["Timestamp"];
            /** @description To end the session early: DELETE /v1/portal/sessions/{sessionId}. */
            sessionId: string;
        };
        PortalSession: {
            sessionId: string;
            /** @description The user in the team's product. */
            subject: string;
            scope: components["schemas"]["KeyScope"];
            permissions: ("api.key.view" | "api.key.create" | "api.key.update" | "api.key.delete")[];
            /** @description The roles this user may give a key. */
            roles: string[];
            types: ("personal" | "service")[];
            /**
             * @description `all`: the user also sees other people's personal keys in the scope.
             * @enum {string}
             */
            personalKeys: "own" | "all";
            expiresAt: components["schemas"]["Timestamp"];
            returnUrl?: string;
            branding?: {
                productName: string;
                /** Format: uri */
                logoUrl?: string;
                accentColor?: string;
            };
        };
        Health: {
            /** @enum {string} */
            status: "ok" | "unavailable";
            /** @enum {string} */
            database: "ok" | "unreachable";
        };
        /**
         * @description A section of the compliance report: one of its lists, and the CSV's `section` column.
         * @enum {string}
         */
        ComplianceSection: "rotationOverdue" | "neverUsed" | "unused" | "noExpiry" | "expiringSoon" | "disablingSoon" | "retiringPepper";
    };
    responses: {
        /** @description The request is malformed: a field, the query, a path parameter or a header. `details` names every bad field. Codes: BAD_REQUEST, VALIDATION_FAILED. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "VALIDATION_FAILED",
                 *         "message": "invalid body: scope must be { \"workspaceId\" } or { \"organizationId\", \"workspaceIds\": [...] | \"*\" }",
                 *         "details": [
                 *           {
                 *             "field": "scope",
                 *             "message": "must be { \"workspaceId\" } or { \"organizationId\", \"workspaceIds\": [...] | \"*\" }"
                 *           }
                 *         ]
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description No valid credentials: locally, the admin token; in the portal, a live session cookie; on the leak endpoint, a valid GitHub signature. Codes: UNAUTHORIZED. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Not allowed: in AWS, an IAM identity without the grant for this route (API Gateway answers); in the portal, a session without the permission, or a change from another origin. Codes: FORBIDDEN. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description In conflict with the current state. Codes: KEY_REVOKED, CONFLICT, LIMIT_EXCEEDED, ROLE_IN_USE, ROTATION_IN_PROGRESS, ALREADY_ROTATED. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The request body is too large. Codes: PAYLOAD_TOO_LARGE. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The body is not JSON (content-type: application/json). Codes: UNSUPPORTED_MEDIA_TYPE. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Refused by a rule: the compliance policy, or an Idempotency-Key reused for another request. Codes: IDEMPOTENCY_KEY_REUSED, POLICY_VIOLATION. */
        UnprocessableContent: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Too many requests: in AWS, the stage throttling or the per-IP limit on a public route. */
        TooManyRequests: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The service failed: nothing internal is said; `requestId` names the request. Codes: INTERNAL. */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "INTERNAL",
                 *         "message": "internal error",
                 *         "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description No such resource (in the portal, also one outside the session). Codes: NOT_FOUND. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "NOT_FOUND",
                 *         "message": "key key_4fQ2bX9kLmN3pR7sT1vW8y not found"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description If-Match names a version that is no longer current: fetch again and retry. Codes: PRECONDITION_FAILED. */
        PreconditionFailed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description A dependency is unavailable now; retry later. Codes: SERVICE_UNAVAILABLE. */
        ServiceUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type CreateKeyRequest = components['schemas']['CreateKeyRequest'];
export type UpdateKeyRequest = components['schemas']['UpdateKeyRequest'];
export type RotateKeyRequest = components['schemas']['RotateKeyRequest'];
export type VerifyRequest = components['schemas']['VerifyRequest'];
export type CreateRoleRequest = components['schemas']['CreateRoleRequest'];
export type PutRoleRequest = components['schemas']['PutRoleRequest'];
export type SweepRequest = components['schemas']['SweepRequest'];
export type LeakReport = components['schemas']['LeakReport'];
export type GitHubLeakReport = components['schemas']['GitHubLeakReport'];
export type ImportKeysRequest = components['schemas']['ImportKeysRequest'];
export type BulkRequest = components['schemas']['BulkRequest'];
export type BulkFilter = components['schemas']['BulkFilter'];
export type BulkAction = components['schemas']['BulkAction'];
export type ExtendGraceRequest = components['schemas']['ExtendGraceRequest'];
export type CredentialsRevokeRequest = components['schemas']['CredentialsRevokeRequest'];
export type CreatePortalSessionRequest = components['schemas']['CreatePortalSessionRequest'];
export type PortalCreateKeyRequest = components['schemas']['PortalCreateKeyRequest'];
export type CreatedKey = components['schemas']['CreatedKey'];
export type ApiKey = components['schemas']['ApiKey'];
export type KeyType = components['schemas']['KeyType'];
export type KeyScope = components['schemas']['KeyScope'];
export type Environment = components['schemas']['Environment'];
export type Timestamp = components['schemas']['Timestamp'];
export type KeyStatus = components['schemas']['KeyStatus'];
export type ErrorResponse = components['schemas']['ErrorResponse'];
export type FieldIssue = components['schemas']['FieldIssue'];
export type KeyPage = components['schemas']['KeyPage'];
export type KeyDetail = components['schemas']['KeyDetail'];
export type GraceUsage = components['schemas']['GraceUsage'];
export type RotatedKey = components['schemas']['RotatedKey'];
export type KeyUsage = components['schemas']['KeyUsage'];
export type KeyUsageDay = components['schemas']['KeyUsageDay'];
export type LatencySummary = components['schemas']['LatencySummary'];
export type TopRoutes = components['schemas']['TopRoutes'];
export type TopSourceIps = components['schemas']['TopSourceIps'];
export type RequestsPage = components['schemas']['RequestsPage'];
export type RequestRow = components['schemas']['RequestRow'];
export type UsageOverview = components['schemas']['UsageOverview'];
export type UsageDay = components['schemas']['UsageDay'];
export type UsageOverviewItem = components['schemas']['UsageOverviewItem'];
export type KeyQuota = components['schemas']['KeyQuota'];
export type PlanList = components['schemas']['PlanList'];
export type UsagePlan = components['schemas']['UsagePlan'];
export type AuditPage = components['schemas']['AuditPage'];
export type AuditEntry = components['schemas']['AuditEntry'];
export type VerifyResult = components['schemas']['VerifyResult'];
export type RoleList = components['schemas']['RoleList'];
export type Role = components['schemas']['Role'];
export type SweepResult = components['schemas']['SweepResult'];
export type SweepEntry = components['schemas']['SweepEntry'];
export type EventPage = components['schemas']['EventPage'];
export type LifecycleEvent = components['schemas']['LifecycleEvent'];
export type KeyEventDetail = components['schemas']['KeyEventDetail'];
export type WhoAmI = components['schemas']['WhoAmI'];
export type LeakReportResult = components['schemas']['LeakReportResult'];
export type GitHubLeakFeedback = components['schemas']['GitHubLeakFeedback'];
export type ComplianceReport = components['schemas']['ComplianceReport'];
export type ComplianceEntry = components['schemas']['ComplianceEntry'];
export type ImportResult = components['schemas']['ImportResult'];
export type BulkResult = components['schemas']['BulkResult'];
export type BulkDryRun = components['schemas']['BulkDryRun'];
export type BulkSampleKey = components['schemas']['BulkSampleKey'];
export type BulkRun = components['schemas']['BulkRun'];
export type BulkFailure = components['schemas']['BulkFailure'];
export type CredentialsAccepted = components['schemas']['CredentialsAccepted'];
export type PepperList = components['schemas']['PepperList'];
export type PepperVersion = components['schemas']['PepperVersion'];
export type PepperRotation = components['schemas']['PepperRotation'];
export type PepperRetirement = components['schemas']['PepperRetirement'];
export type PortalLink = components['schemas']['PortalLink'];
export type PortalSession = components['schemas']['PortalSession'];
export type Health = components['schemas']['Health'];
export type ComplianceSection = components['schemas']['ComplianceSection'];
export type ResponseBadRequest = components['responses']['BadRequest'];
export type ResponseUnauthorized = components['responses']['Unauthorized'];
export type ResponseForbidden = components['responses']['Forbidden'];
export type ResponseConflict = components['responses']['Conflict'];
export type ResponsePayloadTooLarge = components['responses']['PayloadTooLarge'];
export type ResponseUnsupportedMediaType = components['responses']['UnsupportedMediaType'];
export type ResponseUnprocessableContent = components['responses']['UnprocessableContent'];
export type ResponseTooManyRequests = components['responses']['TooManyRequests'];
export type ResponseInternalError = components['responses']['InternalError'];
export type ResponseNotFound = components['responses']['NotFound'];
export type ResponsePreconditionFailed = components['responses']['PreconditionFailed'];
export type ResponseServiceUnavailable = components['responses']['ServiceUnavailable'];
export type $defs = Record<string, never>;
export interface operations {
    listKeys: {
        parameters: {
            query?: {
                search?: string;
                owner?: string;
                role?: string;
                status?: "active" | "inactive" | "revoked" | "expired";
                type?: "personal" | "service" | "canary";
                rotationDue?: "true" | "false";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of keys. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CreateKeyRequest"];
            };
        };
        responses: {
            /** @description The key and its secret. */
            201: {
                headers: {
                    /** @description Where the new resource is. */
                    Location: string;
                    /** @description The version, quoted ("3"): give it back in If-Match. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key. */
            200: {
                headers: {
                    /** @description The version, quoted ("3"): give it back in If-Match. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyDetail"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateKey: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version the change is made over ("3"): a 412 if it is no longer current. */
                "If-Match"?: string;
            };
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateKeyRequest"];
            };
        };
        responses: {
            /** @description The key as changed. */
            200: {
                headers: {
                    /** @description The version, quoted ("3"): give it back in If-Match. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description The revoked key. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    rotateKey: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1 to 128 printable characters; a retry with the same key replays the first answer. */
                "Idempotency-Key"?: string;
            };
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RotateKeyRequest"];
            };
        };
        responses: {
            /** @description A replay of an earlier rotation with the same Idempotency-Key: `secret` is null. */
            200: {
                headers: {
                    /** @description Where the new resource is. */
                    Location: string;
                    /** @description true */
                    "Idempotent-Replayed": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotatedKey"];
                };
            };
            /** @description The new key with its secret, and the old key. */
            201: {
                headers: {
                    /** @description Where the new resource is. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotatedKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getKeyUsage: {
        parameters: {
            query?: {
                days?: number;
            };
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The window, day by day and in all: checks, refusals by code, latency, top routes and addresses. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyUsage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listKeyRequests: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                format?: "json" | "csv";
            };
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of requests. */
            200: {
                headers: {
                    "Content-Disposition"?: string;
                    "Latchkey-Next-Cursor"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RequestsPage"];
                    "text/csv": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getUsageOverview: {
        parameters: {
            query?: {
                days?: number;
                limit?: number;
                cursor?: string;
                unusual?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the overview. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageOverview"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getKeyQuota: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The quota. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyQuota"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listPlans: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The configured plans. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listAudit: {
        parameters: {
            query?: {
                keyId?: string;
                actor?: string;
                action?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of audit records. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    verifyKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VerifyRequest"];
            };
        };
        responses: {
            /** @description The decision. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifyResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listRoles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every role. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createRole: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRoleRequest"];
            };
        };
        responses: {
            /** @description The role. */
            201: {
                headers: {
                    /** @description Where the new resource is. */
                    Location: string;
                    /** @description The version, quoted ("3"): give it back in If-Match. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The role (a custom role with its version as ETag). */
            200: {
                headers: {
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    putRole: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version the change is made over ("3"): a 412 if it is no longer current. */
                "If-Match"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutRoleRequest"];
            };
        };
        responses: {
            /** @description The role. */
            200: {
                headers: {
                    /** @description The version, quoted ("3"): give it back in If-Match. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    runRotationSweep: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SweepRequest"];
            };
        };
        responses: {
            /** @description What the sweep did or would do. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SweepResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listEvents: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    whoAmI: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WhoAmI"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    reportLeak: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LeakReport"];
            };
        };
        responses: {
            /** @description What was found and done. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeakReportResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    reportGitHubLeaks: {
        parameters: {
            query?: never;
            header: {
                /** @description The signing key's identifier (hex). */
                "Github-Public-Key-Identifier": string;
                /** @description Base64 DER ECDSA P-256 SHA-256 over the raw body. */
                "Github-Public-Key-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GitHubLeakReport"];
            };
        };
        responses: {
            /** @description GitHub's feedback: one label per match. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GitHubLeakFeedback"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getComplianceReport: {
        parameters: {
            query?: {
                format?: "json" | "csv";
                unusedDays?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report. */
            200: {
                headers: {
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ComplianceReport"];
                    "text/csv": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    importKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImportKeysRequest"];
            };
        };
        responses: {
            /** @description The keys stored and the ones refused. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    bulkKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkRequest"];
            };
        };
        responses: {
            /** @description The dry run, or the run so far. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    extendGrace: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExtendGraceRequest"];
            };
        };
        responses: {
            /** @description The old key, its grace now ending at `expiresAt`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeCredentials: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CredentialsRevokeRequest"];
            };
        };
        responses: {
            /** @description Accepted. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CredentialsAccepted"];
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listPepperVersions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The versions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PepperList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    rotatePepper: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description The new and the previous version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PepperRotation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    retirePepperVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                version: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description The retired version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PepperRetirement"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createPortalSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePortalSessionRequest"];
            };
        };
        responses: {
            /** @description The link. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalLink"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deletePortalSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ended. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    enterPortal: {
        parameters: {
            query?: {
                code?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description On to the portal, with the session cookie. */
            303: {
                headers: {
                    /** @description The portal page: /portal. */
                    Location: string;
                    /** @description The session cookie: HttpOnly, SameSite=Strict; `__Host-` and Secure over https. */
                    "Set-Cookie": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            /** @description A page for the person: the link was used already, has expired, or never was one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    getPortalSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalSession"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["InternalError"];
        };
    };
    logoutPortal: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out. */
            204: {
                headers: {
                    /** @description Clears the session cookie. */
                    "Set-Cookie": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["InternalError"];
        };
    };
    listPortalKeys: {
        parameters: {
            query?: {
                search?: string;
                status?: "active" | "inactive" | "revoked" | "expired";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of keys. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["InternalError"];
        };
    };
    createPortalKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PortalCreateKeyRequest"];
            };
        };
        responses: {
            /** @description The key and its secret. */
            201: {
                headers: {
                    /** @description Where the new resource is. */
                    Location: string;
                    /** @description The version, quoted ("3"): give it back in If-Match. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            500: components["responses"]["InternalError"];
        };
    };
    getPortalKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key. */
            200: {
                headers: {
                    /** @description The version, quoted ("3"): give it back in If-Match. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    deletePortalKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    updatePortalKey: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version the change is made over ("3"): a 412 if it is no longer current. */
                "If-Match"?: string;
            };
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateKeyRequest"];
            };
        };
        responses: {
            /** @description The key as changed. */
            200: {
                headers: {
                    /** @description The version, quoted ("3"): give it back in If-Match. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            500: components["responses"]["InternalError"];
        };
    };
    revokePortalKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    rotatePortalKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RotateKeyRequest"];
            };
        };
        responses: {
            /** @description The new key with its secret, and the old key. */
            201: {
                headers: {
                    /** @description Where the new resource is. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotatedKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            500: components["responses"]["InternalError"];
        };
    };
    getPortalKeyUsage: {
        parameters: {
            query?: {
                days?: number;
            };
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The window, day by day and in all: checks, refusals by code, latency, top routes and addresses. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyUsage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            500: components["responses"]["InternalError"];
            /** @description Not ready: the keys table does not answer. */
            503: {
                headers: {
                    /** @description Seconds. */
                    "Retry-After": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
}
