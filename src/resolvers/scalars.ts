import { GraphQLScalarType, Kind } from 'graphql';
import { BadUserInputError, ErrorCode, GatewayError } from '../errors.js';

/**
 * Kibo's date forms: date and time with optional seconds and fraction, then `Z`, an offset or nothing.
 * Kibo's .NET services may send up to seven fraction digits; JavaScript dates keep three.
 */
const KIBO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a date-time in any form Kibo sends and returns it as a Date, or undefined when it cannot be read.
 * A value without a zone is taken as UTC, which is how Kibo stores dates.
 */
export function parseKiboDateTime(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string') return undefined;

  const match = KIBO_DATE_TIME.exec(value.trim());
  if (!match) return undefined;
  const [, day, minutes, seconds = ':00', fraction = '', zone = 'Z'] = match;
  const milliseconds = fraction.padEnd(3, '0').slice(0, 3);
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const date = new Date(`${day}T${minutes}${seconds}.${milliseconds}${offset}`);
  if (Number.isNaN(date.getTime())) return undefined;

  // Date rolls 2024-02-30 over into March; a calendar date that does not exist is invalid instead.
  if (offset === 'Z' && date.toISOString().slice(0, 10) !== day) return undefined;
  return date;
}

/** ISO 8601 instants; see the scalar's description in schema/common.graphql. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize(value) {
    const date = parseKiboDateTime(value);
    if (!date) {
      // Thrown here, the error nulls only this field, never the list around it.
      throw new GatewayError(ErrorCode.KIBO_BAD_RESPONSE, 'Kibo returned a date-time value that cannot be read.');
    }
    return date.toISOString();
  },
  parseValue(value) {
    return parseInputDateTime(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new BadUserInputError('A DateTime must be a string such as 2024-03-01T10:00:00Z.');
    return parseInputDateTime(ast.value);
  },
});

function parseInputDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? parseKiboDateTime(value) : undefined;
  if (!date) {
    throw new BadUserInputError('Invalid DateTime: expected an ISO 8601 string such as 2024-03-01T10:00:00Z.');
  }
  return date;
}
