import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { Logger } from '../logger.js';
import { generateEncryptionKey, parseEncryptionKey } from './encryption.js';

/** Name of the key file inside the data directory. */
export const KEY_FILE_NAME = 'encryption.key';

/** Returns the path of the key file for a data directory. */
export function keyFilePath(dataDir: string): string {
  return join(dataDir, KEY_FILE_NAME);
}

/**
 * Reads and decodes the key file. Returns undefined when it does not exist.
 * @throws EncryptionKeyError when the file does not contain a base64 key of 32 bytes.
 */
export function readKeyFile(path: string, logger: Logger): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  warnIfShared(path, logger);
  return parseEncryptionKey(text, `The key file ${path}`);
}

/**
 * Generates a key and writes it to `path` unless the file already exists, and returns the key that the file
 * then contains. When another process creates the file first, its key wins and is returned.
 */
export function createKeyFile(path: string, logger: Logger): Buffer {
  const key = generateEncryptionKey();
  const temporaryPath = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;

  // The key is written and flushed under a private name first, so no reader ever sees a partial file.
  const descriptor = openSync(temporaryPath, 'wx', 0o600);
  try {
    writeSync(descriptor, `${key.toString('base64')}\n`);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }

  // link() publishes the finished file atomically like rename(), but fails with EEXIST instead of replacing
  // a key file that a concurrent start has just published.
  try {
    linkSync(temporaryPath, path);
  } catch (error) {
    if (!isErrorCode(error, 'EEXIST')) throw error;
    const winner = readKeyFile(path, logger);
    if (winner === undefined) throw error;
    return winner;
  } finally {
    rmSync(temporaryPath, { force: true });
  }

  syncDirectory(dirname(path));
  logger.warn(
    { keyFile: path },
    'Generated a new encryption key for stored credentials; back up this file, because the stored secrets ' +
      'cannot be decrypted without it',
  );
  return key;
}

/** Flushes a directory entry so that a new file survives a power failure; Linux and macOS only. */
function syncDirectory(directory: string): void {
  if (process.platform === 'win32') return;
  const descriptor = openSync(directory, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/** Logs a warning when a file that contains key material or secrets is accessible to other users. */
export function warnIfShared(path: string, logger: Logger): void {
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    logger.warn(
      { path, mode: mode.toString(8) },
      'File with credential data is accessible to other users; restrict it with chmod 600',
    );
  }
}

export function isErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
