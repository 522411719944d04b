/**
 * Parser and evaluator for Kibo's `filter` query parameter.
 *
 * Grammar, with keywords and operators in any case:
 *
 *     expression  := conjunction ("or" conjunction)*
 *     conjunction := term ("and" term)*
 *     term        := "(" expression ")" | field operator value | field "in" "[" value ("," value)* "]"
 *     operator    := eq | ne | gt | ge | lt | le | sw | cont
 *
 * `and` binds tighter than `or`. A field is a dotted path such as `content.productName`, matched against record
 * keys in any case. Kibo documents no grouping syntax, so parentheses are an extension that the gateway may use.
 *
 * Quoting rule (the one the gateway's filter builder follows; Kibo documents none): a value is either a bare token,
 * which runs until whitespace, a quote, a comma, a bracket or a parenthesis, or a single-quoted string. Inside
 * quotes `\\` stands for a backslash and `\'` for a quote; any other backslash is a syntax error. So a value with a
 * space, comma, quote, bracket or parenthesis must be quoted, while `/`, `?`, `#`, `%`, `..` and letters of any
 * script may stay bare.
 *
 * Comparison: a numeric value compares as a number with a field that is a number. Two ISO 8601 dates compare as
 * instants, and anything else compares as text without regard to case. `sw` is starts-with and `cont` is
 * contains, both without regard to case. The bare value `null` matches a missing or null field with `eq`.
 * A path that passes through an array matches when any element matches (`ne` when none equals).
 */
import { compareValues, foldedText, parseFieldPath, parseIsoDate, resolvePath } from './field-values.js';

export type FilterOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sw' | 'cont';

const OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'cont']);

export interface FilterValue {
  text: string;
  /** True for a single-quoted value, which is always text: `'null'` is the word null, not a missing field. */
  quoted: boolean;
}

export type FilterNode =
  | { kind: 'comparison'; field: string[]; operator: FilterOperator; value: FilterValue }
  | { kind: 'in'; field: string[]; values: FilterValue[] }
  | { kind: 'and' | 'or'; terms: FilterNode[] };

/** A filter that does not follow the grammar. `position` is the zero-based offset of the problem in the text. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at position ${position})`);
    this.name = 'FilterSyntaxError';
  }
}

type Token =
  | { type: 'word'; text: string; position: number }
  | { type: 'string'; text: string; position: number }
  | { type: 'punctuation'; text: '(' | ')' | '[' | ']' | ','; position: number };

const PUNCTUATION = new Set(['(', ')', '[', ']', ',']);
const BARE_TOKEN_END = /[\s'(),[\]]/;

function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let index = start + 1;
  while (index < text.length) {
    const char = text[index]!;
    if (char === "'") {
      return { value, end: index + 1 };
    }
    if (char === '\\') {
      const escaped = text[index + 1];
      if (escaped !== '\\' && escaped !== "'") {
        throw new FilterSyntaxError('Only \\\\ and \\\' are valid escapes inside a quoted value', index);
      }
      value += escaped;
      index += 2;
      continue;
    }
    value += char;
    index += 1;
  }
  throw new FilterSyntaxError('Unterminated quoted value', start);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (/\s/.test(char)) {
      index += 1;
    } else if (PUNCTUATION.has(char)) {
      tokens.push({ type: 'punctuation', text: char as '(' | ')' | '[' | ']' | ',', position: index });
      index += 1;
    } else if (char === "'") {
      const { value, end } = readQuoted(text, index);
      tokens.push({ type: 'string', text: value, position: index });
      index = end;
    } else {
      let end = index + 1;
      while (end < text.length && !BARE_TOKEN_END.test(text[end]!)) {
        end += 1;
      }
      tokens.push({ type: 'word', text: text.slice(index, end), position: index });
      index = end;
    }
  }
  return tokens;
}

/** Recursive-descent parser over the token list; one instance parses one filter. */
class FilterParser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): FilterNode {
    const node = this.parseDisjunction();
    const extra = this.tokens[this.index];
    if (extra) {
      throw new FilterSyntaxError(`Expected "and" or "or" before "${extra.text}"`, extra.position);
    }
    return node;
  }

  private peekKeyword(keyword: string): boolean {
    const token = this.tokens[this.index];
    return token?.type === 'word' && token.text.toLowerCase() === keyword;
  }

  /** Parses operands joined by `keyword`, returning the lone operand itself when there is no keyword. */
  private parseJoined(keyword: 'and' | 'or', parseOperand: () => FilterNode): FilterNode {
    const terms = [parseOperand()];
    while (this.peekKeyword(keyword)) {
      this.index += 1;
      terms.push(parseOperand());
    }
    return terms.length === 1 ? terms[0]! : { kind: keyword, terms };
  }

  private parseDisjunction(): FilterNode {
    return this.parseJoined('or', () => this.parseConjunction());
  }

  private parseConjunction(): FilterNode {
    return this.parseJoined('and', () => this.parseTerm());
  }

  private next(expected: string): Token {
    const token = this.tokens[this.index];
    if (!token) {
      throw new FilterSyntaxError(`Expected ${expected} but the filter ended`, this.length);
    }
    this.index += 1;
    return token;
  }

  private expectPunctuation(text: string): void {
    const token = this.next(`"${text}"`);
    if (token.type !== 'punctuation' || token.text !== text) {
      throw new FilterSyntaxError(`Expected "${text}" but found "${token.text}"`, token.position);
    }
  }

  private parseValue(): FilterValue {
    const token = this.next('a value');
    if (token.type === 'punctuation') {
      throw new FilterSyntaxError(`Expected a value but found "${token.text}"`, token.position);
    }
    return { text: token.text, quoted: token.type === 'string' };
  }

  private parseTerm(): FilterNode {
    const first = this.next('a field name or "("');
    if (first.type === 'punctuation' && first.text === '(') {
      const inner = this.parseDisjunction();
      this.expectPunctuation(')');
      return inner;
    }
    const field = first.type === 'word' ? parseFieldPath(first.text) : undefined;
    if (!field) {
      throw new FilterSyntaxError(`Expected a field name but found "${first.text}"`, first.position);
    }

    const operatorToken = this.next('an operator');
    const operator = operatorToken.text.toLowerCase();
    if (operatorToken.type === 'word' && operator === 'in') {
      this.expectPunctuation('[');
      const values = [this.parseValue()];
      while (this.tokens[this.index]?.text === ',' && this.tokens[this.index]?.type === 'punctuation') {
        this.index += 1;
        values.push(this.parseValue());
      }
      this.expectPunctuation(']');
      return { kind: 'in', field, values };
    }
    if (operatorToken.type !== 'word' || !OPERATORS.has(operator)) {
      throw new FilterSyntaxError(`Unknown operator "${operatorToken.text}"`, operatorToken.position);
    }
    return { kind: 'comparison', field, operator: operator as FilterOperator, value: this.parseValue() };
  }
}

/**
 * Parses a filter expression. Returns undefined for an empty or blank filter, which matches every record.
 * @throws FilterSyntaxError when the text does not follow the grammar in this file's header.
 */
export function parseFilter(text: string): FilterNode | undefined {
  const tokens = tokenize(text);
  if (tokens.length === 0) {
    return undefined;
  }
  return new FilterParser(tokens, text.length).parse();
}

const NUMBER_PATTERN = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Converts a filter value to the type of the record value it is compared with. */
function coerceValue(recordValue: unknown, value: FilterValue): unknown {
  if (!value.quoted && typeof recordValue === 'number' && NUMBER_PATTERN.test(value.text)) {
    return Number(value.text);
  }
  if (!value.quoted && typeof recordValue === 'boolean' && /^(true|false)$/i.test(value.text)) {
    return value.text.toLowerCase() === 'true';
  }
  return value.text;
}

function isNullValue(value: FilterValue): boolean {
  return !value.quoted && value.text.toLowerCase() === 'null';
}

function isEqual(recordValue: unknown, value: FilterValue): boolean {
  if (recordValue === null || recordValue === undefined) {
    return isNullValue(value);
  }
  if (typeof recordValue === 'object') {
    return false;
  }
  return compareValues(recordValue, coerceValue(recordValue, value)) === 0;
}

function compareOne(recordValue: unknown, operator: FilterOperator, value: FilterValue): boolean {
  if (operator === 'eq') {
    return isEqual(recordValue, value);
  }
  if (recordValue === null || recordValue === undefined || typeof recordValue === 'object') {
    return false;
  }
  switch (operator) {
    case 'sw':
      return foldedText(recordValue).startsWith(foldedText(value.text));
    case 'cont':
      return foldedText(recordValue).includes(foldedText(value.text));
    default: {
      const order = compareValues(recordValue, coerceValue(recordValue, value));
      if (operator === 'gt') return order > 0;
      if (operator === 'ge') return order >= 0;
      if (operator === 'lt') return order < 0;
      return order <= 0;
    }
  }
}

/**
 * Values of an `in` list, or of an `or` of `eq` terms on one field, as sets. Batched lookups send such filters
 * with up to 200 values, and comparing every record with every value made the emulator slower than the latency
 * it is meant to simulate. Membership gives the same answers as {@link isEqual}.
 */
interface EqualitySet {
  field: string[];
  /** Keys of every value, for text records. */
  texts: Set<string>;
  /** Keys of the values compared as text with a number record (all but unquoted numbers). */
  textsForNumbers: Set<string>;
  /** Unquoted numeric values, compared numerically with number records. */
  numbers: Set<number>;
  matchesNull: boolean;
}

const equalitySets = new WeakMap<FilterNode, EqualitySet | undefined>();

function textKey(text: string): string {
  const instant = parseIsoDate(text);
  return Number.isNaN(instant) ? `s:${foldedText(text)}` : `d:${instant}`;
}

function equalitySetOf(node: FilterNode): EqualitySet | undefined {
  if (equalitySets.has(node)) return equalitySets.get(node);
  let field: string[] | undefined;
  let values: FilterValue[] | undefined;
  if (node.kind === 'in') {
    field = node.field;
    values = node.values;
  } else if (node.kind === 'or') {
    const first = node.terms[0];
    const sameFieldEq = (term: FilterNode) =>
      term.kind === 'comparison' && term.operator === 'eq' && first?.kind === 'comparison' && term.field.join('.') === first.field.join('.');
    if (first?.kind === 'comparison' && node.terms.every(sameFieldEq)) {
      field = first.field;
      values = node.terms.map((term) => (term as { value: FilterValue }).value);
    }
  }

  let set: EqualitySet | undefined;
  if (field && values) {
    set = { field, texts: new Set(), textsForNumbers: new Set(), numbers: new Set(), matchesNull: false };
    for (const value of values) {
      if (isNullValue(value)) set.matchesNull = true;
      set.texts.add(textKey(value.text));
      if (!value.quoted && NUMBER_PATTERN.test(value.text)) set.numbers.add(Number(value.text));
      else set.textsForNumbers.add(textKey(value.text));
    }
  }
  equalitySets.set(node, set);
  return set;
}

function inEqualitySet(recordValue: unknown, set: EqualitySet): boolean {
  if (recordValue === null || recordValue === undefined) return set.matchesNull;
  if (typeof recordValue === 'number') return set.numbers.has(recordValue) || set.textsForNumbers.has(textKey(String(recordValue)));
  if (typeof recordValue === 'boolean') return set.texts.has(`s:${recordValue}`);
  if (typeof recordValue === 'string') return set.texts.has(textKey(recordValue));
  return false;
}

/** Tells whether `record` satisfies the parsed filter. */
export function matchesFilter(record: unknown, node: FilterNode): boolean {
  const set = node.kind === 'in' || node.kind === 'or' ? equalitySetOf(node) : undefined;
  if (set) return resolvePath(record, set.field).some((recordValue) => inEqualitySet(recordValue, set));
  switch (node.kind) {
    case 'and':
      return node.terms.every((term) => matchesFilter(record, term));
    case 'or':
      return node.terms.some((term) => matchesFilter(record, term));
    case 'in': {
      const found = resolvePath(record, node.field);
      return found.some((recordValue) => node.values.some((value) => isEqual(recordValue, value)));
    }
    case 'comparison': {
      const found = resolvePath(record, node.field);
      if (node.operator === 'ne') {
        return !found.some((recordValue) => isEqual(recordValue, node.value));
      }
      return found.some((recordValue) => compareOne(recordValue, node.operator, node.value));
    }
  }
}
