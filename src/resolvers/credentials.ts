import { requireAdmin } from '../auth.js';
import type { GatewayContext } from '../context.js';
import type { CredentialService } from '../credentials/index.js';
import { ErrorCode, GatewayError } from '../errors.js';
import type { Resolvers } from '../generated/graphql.js';

/** Returns the credential service after checking the admin token; every credential operation starts here. */
function credentialService(context: GatewayContext): CredentialService {
  requireAdmin(context.access);
  if (!context.credentialService) {
    throw new GatewayError(ErrorCode.FORBIDDEN, 'Credential management is turned off on this gateway.');
  }
  return context.credentialService;
}

function notFound(id: string): GatewayError {
  return new GatewayError(ErrorCode.CREDENTIAL_NOT_FOUND, `No Kibo credential has the id or name "${id}".`);
}

export const credentialResolvers: Resolvers = {
  Query: {
    kiboCredentials: (_root, _args, context) => credentialService(context).list(),
    kiboCredential: async (_root, { id }, context) => {
      const record = await credentialService(context).get(id);
      if (!record) throw notFound(id);
      return record;
    },
  },
  Mutation: {
    createKiboCredential: async (_root, { input }, context) => ({
      credential: await credentialService(context).create(input),
    }),
    updateKiboCredential: async (_root, { id, input }, context) => ({
      credential: await credentialService(context).update(id, input),
    }),
    rotateKiboCredentialSecret: async (_root, { id, clientSecret }, context) => ({
      credential: await credentialService(context).rotateSecret(id, clientSecret),
    }),
    setDefaultKiboCredential: async (_root, { id }, context) => ({
      credential: await credentialService(context).setDefault(id),
    }),
    deleteKiboCredential: async (_root, { id }, context) => ({
      deletedId: await credentialService(context).delete(id),
    }),
    verifyKiboCredential: async (_root, { id }, context) => {
      const service = credentialService(context);
      const credential = await service.resolve(id);
      const started = performance.now();
      try {
        const check = await context.kibo.verify(credential, { requestId: context.requestId, signal: context.signal });
        const record = await service.recordVerification(credential.id, { ok: true, credentialVersion: credential.version });
        return {
          ok: true,
          durationMs: Math.round(check.durationMs),
          expiresAt: check.expiresAt.toISOString(),
          credential: record,
        };
      } catch (error) {
        // Only the gateway's own coded errors describe a failed token request safely; anything else is a bug.
        if (!(error instanceof GatewayError)) throw error;
        const record = await service.recordVerification(credential.id, {
          ok: false,
          errorCode: error.code,
          errorMessage: error.message,
          credentialVersion: credential.version,
        });
        return {
          ok: false,
          errorCode: error.code,
          message: error.message,
          durationMs: Math.round(performance.now() - started),
          expiresAt: null,
          credential: record,
        };
      }
    },
  },
  KiboCredential: {
    description: (record) => record.description || null,
    lastError: (record) =>
      record.lastErrorCode ? { code: record.lastErrorCode, message: record.lastErrorMessage ?? '' } : null,
    secretHint: (record) => record.secretHint ?? null,
  },
};
