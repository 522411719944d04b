import type { CommerceRuntimeAddress } from '@kibocommerce/rest-sdk/clients/Customer/models/index.js';
import type { SeededRandom } from './random.js';

/** Start of the sample tenant's history; every generated date lies within about two years after it. */
export const HISTORY_START = Date.UTC(2024, 0, 1);

const DAY_MS = 86_400_000;

export function daysAfterStart(days: number): number {
  return HISTORY_START + Math.round(days * DAY_MS);
}

/**
 * The three forms of date-time seen in Kibo payloads: whole seconds in UTC (`2024-03-01T10:00:00Z`), milliseconds
 * in UTC (`2024-03-01T10:00:00.123Z`) and local time with an offset (`2024-03-01T05:00:00-05:00`).
 */
export type DateForm = 'seconds' | 'milliseconds' | 'offset';

const OFFSET_MINUTES = [-300, -420, 60, 330];

export function formatDate(time: number, form: DateForm, random?: SeededRandom): string {
  if (form === 'milliseconds') {
    return new Date(time).toISOString();
  }
  if (form === 'seconds') {
    return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  const offset = random ? random.pick(OFFSET_MINUTES) : OFFSET_MINUTES[0]!;
  const local = new Date(time + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${local}${sign}${hours}:${minutes}`;
}

export function randomDateForm(random: SeededRandom): DateForm {
  return random.pick<DateForm>(['seconds', 'milliseconds', 'offset']);
}

// Names include accents, an apostrophe and non-Latin scripts so that filters and encodings meet them in the data.
export const FIRST_NAMES = [
  'Ada', 'Ben', 'Chloé', 'Dmitri', 'Elena', 'Farah', 'George', 'Hana', 'Ivan', 'Jonas', 'Kofi', 'Lena', 'Mateo',
  'Nadia', 'Oscar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Victor', 'Wen', 'Ximena', 'Yusuf', 'Zoë',
  'José', 'Anaïs', 'Søren', 'Мария', '太郎',
];

export const LAST_NAMES = [
  'Adams', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Khan', 'Lopez',
  'Müller', 'Novak', "O'Brien", 'Patel', 'Quint', 'Rossi', 'Silva', 'Tanaka', 'Ueda', 'Varga', 'Walker', 'Xu',
  'Young', 'Zimmer', 'Núñez', 'Иванова', '山田',
];

const STREETS = ['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Pine Rd', 'Elm St', 'Lakeview Blvd', 'Hill St'];

/** Cities with their state and the first three digits of their ZIP codes. */
const CITIES: ReadonlyArray<readonly [string, string, string]> = [
  ['Austin', 'TX', '787'],
  ['Denver', 'CO', '802'],
  ['Portland', 'OR', '972'],
  ['Chicago', 'IL', '606'],
  ['Boston', 'MA', '021'],
  ['Atlanta', 'GA', '303'],
  ['Seattle', 'WA', '981'],
  ['Phoenix', 'AZ', '850'],
];

export function randomAddress(random: SeededRandom): CommerceRuntimeAddress {
  const [city, state, zipPrefix] = random.pick(CITIES);
  return {
    address1: `${random.integer(10, 9999)} ${random.pick(STREETS)}`,
    address2: random.chance(0.25) ? `Apt ${random.integer(1, 40)}` : null,
    address3: null,
    address4: null,
    cityOrTown: city,
    stateOrProvince: state,
    postalOrZipCode: `${zipPrefix}${String(random.integer(0, 99)).padStart(2, '0')}`,
    countryCode: 'US',
    addressType: random.chance(0.8) ? 'Residential' : 'Commercial',
    isValidated: random.chance(0.5),
  };
}

/** Returns a phone number in the 555-01xx range, which is reserved for fiction. */
export function randomPhone(random: SeededRandom): string {
  return `${random.integer(200, 989)}-555-01${String(random.integer(0, 99)).padStart(2, '0')}`;
}
