import { randomUUID } from 'node:crypto';

import type { EnvironmentCredential } from '../config.js';
import { ErrorCode, GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type SecretCipher, SecretDecryptionError } from './encryption.js';
import { EnvironmentCredentialEntry, readOnlyCredentialError } from './environment-credential.js';
import { buildUpdateChanges, buildVerification, UNVERIFIED } from './changes.js';
import { secretHint, toCredentialRecord, toResolvedCredential } from './records.js';
import type { CredentialStore, StoredCredential } from './store.js';
import type { CredentialRecord, ResolvedCredential, VerificationResult } from './types.js';
import {
  type CreateCredentialInput,
  type UpdateCredentialInput,
  validateCreateInput,
  validateSecret,
  validateUpdateInput,
} from './validation.js';

export interface CredentialServiceOptions {
  store: CredentialStore;
  cipher: SecretCipher;
  logger: Logger;
  /** The credential from the `KIBO_*` variables; it is the default while no stored credential is. */
  environmentCredential?: EnvironmentCredential | undefined;
  /**
   * Called with the credential id after an update, a secret rotation or a deletion is committed, so the Kibo
   * client can drop cached tokens. A failure is logged; it does not undo or fail the change.
   */
  onCredentialChanged?: ((id: string) => void | Promise<void>) | undefined;
  /** Clock for timestamps; tests replace it. */
  now?: (() => Date) | undefined;
}

/**
 * Operations on Kibo credentials: the stored ones, encrypted at rest, and the optional read-only environment
 * credential. Records returned by this service never contain a secret; only `resolve` returns one, for the
 * Kibo client.
 */
export class CredentialService {
  readonly #store: CredentialStore;
  readonly #cipher: SecretCipher;
  readonly #logger: Logger;
  readonly #environment: EnvironmentCredentialEntry | undefined;
  readonly #onCredentialChanged: ((id: string) => void | Promise<void>) | undefined;
  readonly #now: () => Date;

  constructor(options: CredentialServiceOptions) {
    this.#store = options.store;
    this.#cipher = options.cipher;
    this.#logger = options.logger;
    this.#onCredentialChanged = options.onCredentialChanged;
    this.#now = options.now ?? (() => new Date());
    this.#environment =
      options.environmentCredential && new EnvironmentCredentialEntry(options.environmentCredential, this.#now());
  }

  /** Lists every credential: the environment credential first, then the stored ones by name. */
  async list(): Promise<CredentialRecord[]> {
    const stored = await this.#store.list();
    const records = stored.map(toCredentialRecord);
    if (this.#environment) {
      const hasStoredDefault = stored.some((credential) => credential.isDefault);
      records.unshift(this.#environment.toRecord(!hasStoredDefault));
    }
    return records;
  }

  /**
   * Returns the credential whose id is `idOrName` or, failing that, whose name matches it regardless of case;
   * undefined when none does.
   */
  async get(idOrName: string): Promise<CredentialRecord | undefined> {
    if (this.#environment?.matches(idOrName)) {
      return this.#environment.toRecord(await this.#isEnvironmentDefault());
    }
    const stored = await this.#findStored(idOrName);
    return stored && toCredentialRecord(stored);
  }

  /**
   * Returns the credential with the decrypted secret for a call to Kibo. `idOrName` is matched against ids
   * first and then against names regardless of case; undefined selects the default credential.
   * @throws GatewayError `CREDENTIAL_NOT_FOUND` when nothing matches or no default exists. There is no fallback
   *   to another credential.
   */
  async resolve(idOrName: string | undefined): Promise<ResolvedCredential> {
    if (idOrName === undefined) {
      const stored = await this.#store.getDefault();
      if (stored) return this.#decrypt(stored);
      if (this.#environment) return this.#environment.toResolved();
      throw new GatewayError(
        ErrorCode.CREDENTIAL_NOT_FOUND,
        'No credential was selected and no default credential is set. Send the X-Kibo-Credential header with ' +
          'a credential id or name, or make one credential the default.',
      );
    }

    if (this.#environment?.matches(idOrName)) return this.#environment.toResolved();
    const stored = await this.#findStored(idOrName);
    if (stored) return this.#decrypt(stored);
    throw notFound(idOrName);
  }

  /**
   * Validates and stores a new credential with status `UNVERIFIED`.
   * @throws BadUserInputError naming the invalid field, or `name` when the name is taken.
   */
  async create(input: CreateCredentialInput): Promise<CredentialRecord> {
    const valid = validateCreateInput(input);
    const id = randomUUID();
    const now = this.#now().toISOString();
    const stored = await this.#store.insert({
      id,
      name: valid.name,
      description: valid.description,
      clientId: valid.clientId,
      secretCiphertext: this.#cipher.encrypt(valid.clientSecret, id),
      secretHint: secretHint(valid.clientSecret),
      tenantId: valid.tenantId,
      siteId: valid.siteId,
      masterCatalogId: valid.masterCatalogId,
      catalogId: valid.catalogId,
      apiHost: valid.apiHost,
      authHost: valid.authHost,
      isDefault: valid.isDefault,
      ...UNVERIFIED,
      createdAt: now,
      updatedAt: now,
    });
    this.#logger.info({ credentialId: id, credentialName: stored.name }, 'Created credential');
    return toCredentialRecord(stored);
  }

  /**
   * Changes the fields present in `input`. A changed client ID needs a new secret in the same call. A change
   * to the secret, client ID, tenant, site, catalogs or hosts resets the status to `UNVERIFIED`.
   * @throws BadUserInputError for invalid input, a taken name or the environment credential.
   * @throws GatewayError `CREDENTIAL_NOT_FOUND` when no credential has this id.
   */
  async update(id: string, input: UpdateCredentialInput): Promise<CredentialRecord> {
    if (this.#environment?.matches(id)) throw readOnlyCredentialError('updated');
    const valid = validateUpdateInput(input);
    const changedAt = this.#now().toISOString();
    let changed = false;

    const updated = await this.#store.update(id, (current) => {
      const changes = buildUpdateChanges(current, valid, this.#cipher, changedAt);
      changed = changes !== undefined;
      return changes;
    });

    if (!updated) throw notFound(id);
    if (changed) {
      this.#logger.info({ credentialId: id, fields: Object.keys(valid) }, 'Updated credential');
      await this.#notifyChanged(id);
    }
    return toCredentialRecord(updated);
  }

  /**
   * Replaces the secret and resets the status to `UNVERIFIED`.
   * @throws BadUserInputError on `clientSecret` for an invalid secret, or on `id` for the environment credential.
   * @throws GatewayError `CREDENTIAL_NOT_FOUND` when no credential has this id.
   */
  async rotateSecret(id: string, secret: string): Promise<CredentialRecord> {
    if (this.#environment?.matches(id)) throw readOnlyCredentialError('rotated');
    const valid = validateSecret(secret);
    const updated = await this.#store.update(id, () => ({
      changedAt: this.#now().toISOString(),
      secretCiphertext: this.#cipher.encrypt(valid, id),
      secretHint: secretHint(valid),
      ...UNVERIFIED,
    }));
    if (!updated) throw notFound(id);
    this.#logger.info({ credentialId: id }, 'Rotated credential secret');
    await this.#notifyChanged(id);
    return toCredentialRecord(updated);
  }

  /**
   * Stores the outcome of checking a credential against Kibo. A result for an older `credentialVersion` is
   * ignored, so a slow check cannot mark a newer secret as verified or failed.
   * @throws GatewayError `CREDENTIAL_NOT_FOUND` when no credential has this id.
   */
  async recordVerification(id: string, result: VerificationResult): Promise<CredentialRecord> {
    const verifiedAt = result.verifiedAt ?? this.#now();
    if (this.#environment?.matches(id)) {
      if (!this.#environment.recordVerification(result, verifiedAt)) this.#logStale(id, result);
      return this.#environment.toRecord(await this.#isEnvironmentDefault());
    }

    const updated = await this.#store.update(id, (current) => {
      if (result.credentialVersion !== undefined && result.credentialVersion !== current.version) {
        this.#logStale(id, result);
        return undefined;
      }
      const verification = buildVerification(result, verifiedAt, this.#secretForRedaction(current));
      return { changedAt: verifiedAt.toISOString(), ...verification };
    });
    if (!updated) throw notFound(id);
    return toCredentialRecord(updated);
  }

  /**
   * Makes a credential the default. `environment` clears the stored default, so the environment credential
   * becomes the default again.
   * @throws GatewayError `CREDENTIAL_NOT_FOUND` when no credential has this id.
   */
  async setDefault(id: string): Promise<CredentialRecord> {
    if (this.#environment?.matches(id)) {
      await this.#store.clearDefault();
      this.#logger.info({ credentialId: id }, 'Made the environment credential the default');
      return this.#environment.toRecord(true);
    }
    const updated = await this.#store.setDefault(id);
    if (!updated) throw notFound(id);
    this.#logger.info({ credentialId: id }, 'Changed the default credential');
    return toCredentialRecord(updated);
  }

  /**
   * Deletes a stored credential and returns its id. Deleting the default leaves no stored default, so the
   * environment credential, if any, becomes the default.
   * @throws BadUserInputError on `id` for the environment credential.
   * @throws GatewayError `CREDENTIAL_NOT_FOUND` when no credential has this id.
   */
  async delete(id: string): Promise<string> {
    if (this.#environment?.matches(id)) throw readOnlyCredentialError('deleted');
    if (!(await this.#store.delete(id))) throw notFound(id);
    this.#logger.info({ credentialId: id }, 'Deleted credential');
    await this.#notifyChanged(id);
    return id;
  }

  /** Closes the underlying store. */
  async close(): Promise<void> {
    await this.#store.close();
  }

  // Names can never have the form of an id (see validation.ts), so the two lookups cannot both match.
  async #findStored(idOrName: string): Promise<StoredCredential | undefined> {
    return (await this.#store.get(idOrName)) ?? (await this.#store.getByName(idOrName));
  }

  async #isEnvironmentDefault(): Promise<boolean> {
    return (await this.#store.getDefault()) === undefined;
  }

  #decrypt(stored: StoredCredential): ResolvedCredential {
    let clientSecret: string;
    try {
      clientSecret = this.#cipher.decrypt(stored.secretCiphertext, stored.id);
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      this.#logger.error({ err: error, credentialId: stored.id }, 'Cannot decrypt credential secret');
      throw new GatewayError(
        ErrorCode.INTERNAL_SERVER_ERROR,
        `The secret of credential ${JSON.stringify(stored.name)} cannot be decrypted; rotate its secret, and see ` +
          'the gateway log for the cause.',
      );
    }
    return toResolvedCredential(stored, clientSecret);
  }

  /** Returns the secret for redacting it from an error message, or undefined when it cannot be decrypted. */
  #secretForRedaction(stored: StoredCredential): string | undefined {
    try {
      return this.#cipher.decrypt(stored.secretCiphertext, stored.id);
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      // The message is still stored, because the gateway wrote it and the secret is unlikely to be in it.
      this.#logger.warn({ err: error, credentialId: stored.id }, 'Cannot decrypt credential secret to redact it');
      return undefined;
    }
  }

  #logStale(id: string, result: VerificationResult): void {
    this.#logger.info(
      { credentialId: id, verifiedVersion: result.credentialVersion },
      'Ignored a verification result for an older version of the credential',
    );
  }

  async #notifyChanged(id: string): Promise<void> {
    if (!this.#onCredentialChanged) return;
    try {
      await this.#onCredentialChanged(id);
    } catch (error) {
      this.#logger.error(
        { err: error, credentialId: id },
        'Credential change listener failed; tokens cached for this credential may be used until they expire',
      );
    }
  }
}

function notFound(idOrName: string): GatewayError {
  const quoted = JSON.stringify(idOrName.length > 100 ? `${idOrName.slice(0, 100)}…` : idOrName);
  return new GatewayError(
    ErrorCode.CREDENTIAL_NOT_FOUND,
    `No credential has the id or name ${quoted}. List the credentials to see the valid ids and names.`,
  );
}
