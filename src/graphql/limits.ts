import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from '../context.js';
import { ErrorCode, GatewayError } from '../errors.js';

/** Bounds on one GraphQL operation, checked before any resolver runs. */
export interface QueryLimits {
  /** Deepest field nesting, counting the root field as 1. */
  maxDepth: number;
  /** Aliased fields in the operation, counted once per place they are used. */
  maxAliases: number;
  /** Largest estimated number of field values the response may hold; see {@link measureOperation}. */
  maxCost: number;
  /** Assumed length of a list whose size no argument gives, such as an order's items. */
  listSizeEstimate: number;
}

export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
}

/**
 * Rejects operations over the configured limits with QUERY_TOO_COMPLEX and HTTP 400, after validation and
 * before execution, so a rejected operation makes no upstream call. It runs per request because list sizes
 * come from `first` arguments, which are often variables.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, request }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          }
          const measure = measureOperation(operation, { schema, fragments, variables: request.variables ?? {}, limits });
          checkLimit('depth', measure.depth, limits.maxDepth);
          checkLimit('alias count', measure.aliases, limits.maxAliases);
          checkLimit('estimated cost', measure.cost, limits.maxCost);
        },
      };
    },
  };
}

function checkLimit(name: string, value: number, limit: number): void {
  if (value > limit) {
    throw new GatewayError(ErrorCode.QUERY_TOO_COMPLEX, `The operation's ${name} of ${value} exceeds the limit of ${limit}.`, {
      extensions: { http: { status: 400 } },
    });
  }
}

interface MeasureContext {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  limits: QueryLimits;
}

/**
 * Measures an operation that has passed validation. Cost counts every field once per value it may produce, so
 * a list multiplies the cost of everything below it by its size. That size is the `first` argument of the
 * connection around it, the length of a `productCodes` argument, or the configured estimate. Introspection
 * fields are not measured, because the introspection setting governs them.
 */
export function measureOperation(operation: OperationDefinitionNode, context: MeasureContext): OperationMeasure {
  const rootType = context.schema.getRootType(operation.operation);
  if (!rootType) return { depth: 0, aliases: 0, cost: 0 };
  return measureSelectionSet(operation.selectionSet, rootType, undefined, context, new Map());
}

function measureSelectionSet(
  selectionSet: SelectionSetNode,
  parentType: GraphQLNamedType,
  connectionSize: number | undefined,
  context: MeasureContext,
  memo: Map<string, OperationMeasure>,
): OperationMeasure {
  const total: OperationMeasure = { depth: 0, aliases: 0, cost: 0 };
  const add = (part: OperationMeasure) => {
    total.depth = Math.max(total.depth, part.depth);
    total.aliases += part.aliases;
    total.cost += part.cost;
  };

  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      add(measureField(selection, parentType, connectionSize, context, memo));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typeName = selection.typeCondition?.name.value;
      const type = (typeName && context.schema.getType(typeName)) || parentType;
      add(measureSelectionSet(selection.selectionSet, type, connectionSize, context, memo));
    } else {
      const name = selection.name.value;
      const memoKey = `${name}:${connectionSize ?? ''}`;
      let measured = memo.get(memoKey);
      const fragment = context.fragments.get(name);
      if (!measured && fragment) {
        const type = context.schema.getType(fragment.typeCondition.name.value) ?? parentType;
        measured = measureSelectionSet(fragment.selectionSet, type, connectionSize, context, memo);
        memo.set(memoKey, measured);
      }
      if (measured) add(measured);
    }
  }
  return total;
}

function measureField(
  node: FieldNode,
  parentType: GraphQLNamedType,
  connectionSize: number | undefined,
  context: MeasureContext,
  memo: Map<string, OperationMeasure>,
): OperationMeasure {
  const aliases = node.alias ? 1 : 0;
  if (node.name.value.startsWith('__')) return { depth: 1, aliases, cost: 0 };

  const field = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[node.name.value] : undefined;
  if (!field) return { depth: 1, aliases, cost: 1 };

  const multiplier = isListType(getNullableType(field.type)) ? listSize(node, field, connectionSize, context) : 1;
  if (!node.selectionSet) return { depth: 1, aliases, cost: multiplier };

  const childConnectionSize = argumentValue(node, field, 'first', context);
  const children = measureSelectionSet(
    node.selectionSet,
    getNamedType(field.type),
    typeof childConnectionSize === 'number' ? childConnectionSize : undefined,
    context,
    memo,
  );
  return {
    depth: children.depth + 1,
    aliases: aliases + children.aliases,
    cost: multiplier * (1 + children.cost),
  };
}

function listSize(
  node: FieldNode,
  field: GraphQLField<unknown, unknown>,
  connectionSize: number | undefined,
  context: MeasureContext,
): number {
  const codes = argumentValue(node, field, 'productCodes', context);
  if (Array.isArray(codes)) return codes.length;
  return connectionSize ?? context.limits.listSizeEstimate;
}

/** Returns an argument's value with variables and the schema's default applied, or undefined. */
function argumentValue(
  node: FieldNode,
  field: GraphQLField<unknown, unknown>,
  name: string,
  context: MeasureContext,
): unknown {
  const definition = field.args.find((argument) => argument.name === name);
  if (!definition) return undefined;
  const argument = node.arguments?.find((candidate) => candidate.name.value === name);
  if (!argument) return definition.defaultValue;
  return valueFromAST(argument.value, definition.type, context.variables);
}
